"""Version 1 of the REST API: the NinjaAPI object, its error responses and its routers.

Every error is JSON, ``{"detail": "…"}`` (and ``"errors"`` per field for invalid input),
with the status the pages would give: 400 invalid input, 401 no member or a bad token, 403
refused (the reason the site's permission check gave), 404 missing or not visible, 429 too
many requests (``api.middleware``)."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import ValidationError as InputValidationError
from ninja.openapi.schema import OpenAPISchema

from .access import InvalidInput
from .endpoints import faq, ideas, me, members, moderation, questions, search, taxonomy
from .pagination import BadCursor
from .permissions import NotAuthenticated

DESCRIPTION = gettext_lazy(
    "The community's questions, answers, FAQ and ideas. Authenticate with a personal API "
    "token (Authorization: Bearer …, made in your settings) or, for the site's own scripts, "
    "with the site's session and its CSRF token. Everything follows the site's rules: what "
    "you cannot see on the site, the API does not show; what you may not do there, it refuses."
)


class VecheApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        """The security schemes are applied by ``api.middleware`` (before the members'
        middleware), not by Ninja: declared here so that the schema names them."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {})
        components["securitySchemes"] = {
            "token": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token (scopes: read, write, moderate, admin).",
            },
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        }
        schema["security"] = [{"token": []}, {"session": []}, {}]
        return schema


api = VecheApi(
    title="Veche API",
    version="1",
    description=str(DESCRIPTION),
    urls_namespace="api-v1",
    docs_url=None,  # our own page, without JavaScript: api.views.api_docs_view
    openapi_url="/openapi.json",
)

for prefix, router in (
    ("/questions", questions.router),
    ("/answers", questions.answers_router),
    ("/faq", faq.router),
    ("/ideas", ideas.router),
    ("", taxonomy.router),
    ("/members", members.router),
    ("/search", search.router),
    ("/moderation", moderation.router),
    ("", me.router),
):
    api.add_router(prefix, router)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(InputValidationError)
def _invalid_schema(request: HttpRequest, exc: InputValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        errors.setdefault(".".join(location[1:] or location) or "input", []).append(
            str(error.get("msg", ""))
        )
    return _error(request, 400, _("The input is not valid."), errors=errors)


@api.exception_handler(InvalidInput)
def _invalid_form(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return _error(request, 400, _("The input is not valid."), errors=exc.errors)


@api.exception_handler(ValidationError)
def _refused_value(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 400, " ".join(str(m) for m in exc.messages))


@api.exception_handler(BadCursor)
def _bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
    return _error(request, 400, str(exc))


@api.exception_handler(NotAuthenticated)
def _not_authenticated(request: HttpRequest, exc: NotAuthenticated) -> HttpResponse:
    return _error(request, 401, str(exc))


@api.exception_handler(PermissionDenied)
def _refused(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Some reasons carry a link for the pages (the rules to accept again): text only here.
    reason = strip_tags(str(exc.args[0])) if exc.args else _("You cannot do this.")
    return _error(request, 403, reason)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _error(request, 404, _("Not found."))
