"""Request types for type-checking views."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import Member


class HtmxHttpRequest(HttpRequest):
    """A request that went through ``django_htmx.middleware.HtmxMiddleware`` (every request:
    it is in MIDDLEWARE), so ``request.htmx`` is there. An annotation only."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """The request of a view behind ``login_required`` or ``staff_member_required``, where
    ``request.user`` is a member, never anonymous. An annotation only: Django still passes
    its own ``HttpRequest``."""

    user: Member
