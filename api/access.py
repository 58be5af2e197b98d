"""What every endpoint starts with: the scope a token needs, the member a write acts as,
and input checked by the site's own forms (so the API accepts exactly what the pages do)."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja import Schema

from members.models import Member

from .models import Scope
from .permissions import check_member, check_scope, request_token


class InvalidInput(Exception):
    """Input the site's form refused: a 400 with the form's messages per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _unused_view(request: HttpRequest) -> HttpResponse:
    """What ``CsrfViewMiddleware`` wraps: only its check runs, never the view."""
    raise NotImplementedError


def reading(request: HttpRequest) -> None:
    check_scope(request, Scope.READ)


def acting(request: HttpRequest, scope: str = Scope.WRITE) -> Member:
    """The member a writing request acts as. Through the site's session the request must
    carry the CSRF token as the site's own forms do (a token request needs none)."""
    member = check_member(request, scope)
    if request_token(request) is None:
        check = CsrfViewMiddleware(_unused_view)
        refused = check.process_view(request, _unused_view, (), {})
        if refused is not None:
            raise PermissionDenied(
                _("The CSRF check failed: send the X-CSRFToken header with the site's session.")
            )
    return member


def cleaned(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise InvalidInput(
            {field: [str(message) for message in errors] for field, errors in form.errors.items()}
        )
    return form.cleaned_data


def filter_data(query: Schema, names: tuple[str, ...]) -> QueryDict:
    """The query parameters a list page's filterset reads, as the page would get them."""
    data = QueryDict(mutable=True)
    for name in names:
        value = getattr(query, name)
        if value:
            data[name] = value
    return data
