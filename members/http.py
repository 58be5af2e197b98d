"""Request types for type-checking views."""

from django.http import HttpRequest

from .models import Member


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required`` or ``staff_member_required``, where
    ``request.user`` is a member, never anonymous. An annotation only: Django still passes
    its own ``HttpRequest``."""

    user: Member
