"""The token page in a member's settings (make, list, revoke; staff: bot accounts) and the
API's documentation page. Thin: a form, one service, a response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from members.http import AuthenticatedHttpRequest

from . import selectors, services
from .docs import operations_by_tag, schema_models
from .forms import BotForm, TokenForm
from .models import ApiToken
from .permissions import can_act_for_community
from .v1 import api


def _tokens_page(
    request: AuthenticatedHttpRequest,
    *,
    form: TokenForm | None = None,
    bot_form: BotForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    member = request.user
    context = {
        "form": form or TokenForm(member=member),
        "bot_form": (bot_form or BotForm()) if can_act_for_community(member) else None,
        "tokens": selectors.token_list_for(member),
        "secret": secret,
    }
    response = render(request, "api/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may show a new token's secret
    return response


@login_required
def token_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _tokens_page(request)
    form = TokenForm(request.POST, member=request.user)
    if not form.is_valid():
        return _tokens_page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        token, secret = services.token_create(
            actor=request.user,
            name=data["name"],
            scopes=data["scopes"],
            acting_as=data.get("acting_as"),
        )
    except (PermissionDenied, ValidationError) as exc:
        form.add_error(None, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return _tokens_page(request, form=form, status=403)
    messages.success(
        request,
        _("Token “%(name)s” was made. Copy it now: it is not shown again.") % {"name": token.name},
    )
    # Rendered, not redirected: the secret is shown on this response only, never stored.
    return _tokens_page(request, secret=secret)


@login_required
@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        token = selectors.token_get_for(request.user, pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")


@login_required
@require_POST
def bot_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_act_for_community(request.user):
        raise PermissionDenied(_("Only staff can manage bot accounts."))
    form = BotForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, bot_form=form, status=400)
    try:
        bot = services.bot_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            display_name=form.cleaned_data["display_name"],
        )
    except ValidationError as exc:
        form.add_error("username", exc)
        return _tokens_page(request, bot_form=form, status=400)
    messages.success(request, _("Bot account %(name)s was made.") % {"name": bot.username})
    return redirect("api:tokens")


@require_GET
def api_docs_view(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "groups": operations_by_tag(schema),
            "models": schema_models(schema),
        },
    )


def api_not_found_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": _("Not found.")}, status=404)
