"""Log-in with the product's account, and the member's data rights (export, deletion)."""

import logging

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.http import safe_next_url
from config.site import absolute_url

from . import selectors, services_privacy, services_sessions, services_sso
from .forms_privacy import AccountDeleteForm
from .http import AuthenticatedHttpRequest
from .sso import SSO_MFA_SESSION_KEY, SSO_NONCE_SESSION_KEY, SsoError, decode

logger = logging.getLogger("veche.sso")


def _refusals() -> dict[str, str]:
    return {
        "bad-signature": _("The answer from the sign-in service was not signed correctly."),
        "bad-payload": _("The answer from the sign-in service could not be read."),
        "missing-fields": _("The answer from the sign-in service was incomplete."),
        "nonce-used-or-unknown": _("This sign-in answer was already used. Please sign in again."),
        "nonce-not-this-browser": _(
            "This sign-in was started in another browser or an older tab. Please sign in again."
        ),
        "expired": _("The sign-in took too long and expired. Please sign in again."),
        "unverified-email-of-existing-member": _(
            "An account here already uses this e-mail address, and the sign-in service has "
            "not verified that it is yours. Verify your address there, then sign in again."
        ),
        "member-linked-to-another-account": _(
            "The account here with this e-mail address is linked to another product account."
        ),
        "account-deleted": _("This account was deleted."),
    }


@require_safe
def sso_login_view(request: HttpRequest) -> HttpResponse:
    """Send the visitor to the product's log-in page with a fresh nonce."""
    if not services_sso.sso_enabled():
        raise Http404
    nonce, url = services_sso.sso_request_create(
        return_url=absolute_url(reverse("members:sso-return")),
        next_url=safe_next_url(request, ""),
    )
    request.session[SSO_NONCE_SESSION_KEY] = nonce
    return redirect(url)


@require_safe
def sso_return_view(request: HttpRequest) -> HttpResponse:
    """The product's signed answer: check it, then log the member in (through allauth's
    log-in, so suspensions, bans and the two-factor step apply as to any log-in)."""
    if not services_sso.sso_enabled():
        raise Http404
    try:
        identity = decode(
            request.GET.get("sso", ""), request.GET.get("sig", ""), services_sso.secret()
        )
        pending = services_sso.sso_nonce_consume(
            nonce=identity.nonce, expected=request.session.pop(SSO_NONCE_SESSION_KEY, None)
        )
        member = services_sso.sso_member_sign_in(identity=identity)
    except SsoError as refusal:
        logger.warning(
            "Single sign-on refused (%s) from %s", refusal.reason, request.META.get("REMOTE_ADDR")
        )
        reason = _refusals().get(refusal.reason, _("The sign-in could not be completed."))
        return render(request, "members/sso_refused.html", {"reason": reason}, status=400)
    # The product vouched for a second factor: allauth's two-factor step is skipped, and the
    # staff two-factor rule counts as met for this session (members.middleware).
    request.sso_mfa = identity.mfa  # type: ignore[attr-defined]
    response = perform_login(
        request,
        member,
        email_verification=EmailVerificationMethod.NONE,
        redirect_url=pending.next_url or "/",
    )
    if request.user.is_authenticated:
        request.session[SSO_MFA_SESSION_KEY] = identity.mfa
    return response


@login_required
@require_safe
def privacy_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _privacy_page(request)


def _privacy_page(
    request: AuthenticatedHttpRequest, delete_form: AccountDeleteForm | None = None
) -> HttpResponse:
    context = {
        "exports": selectors.data_export_list_for(request.user),
        "delete_form": delete_form or AccountDeleteForm(member=request.user),
        "hours": settings.VECHE_DATA_EXPORT_HOURS,
    }
    return render(
        request, "members/privacy.html", context, status=400 if delete_form is not None else 200
    )


@login_required
@require_POST
def data_export_request_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    services_privacy.data_export_request(member=request.user)
    messages.success(
        request, _("We are preparing your data. You will get an e-mail with a link to it.")
    )
    return redirect("members:privacy")


@login_required
@require_safe
def data_export_download_view(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    export = services_privacy.data_export_get_for_download(member=request.user, token=token)
    if export is None:
        raise Http404(_("This link does not work: it expired, or it is not yours."))
    response = HttpResponse(bytes(export.archive or b""), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="veche-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def account_delete_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST, member=request.user)
    if not form.is_valid():
        return _privacy_page(request, delete_form=form)
    services_privacy.member_erase(actor=request.user, member=request.user)
    logout(request)
    messages.success(request, _("Your account was deleted."))
    return redirect("home")


# --- signed-in browsers ------------------------------------------------------------------


@login_required
@require_safe
def sessions_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every browser the member is signed in with: address, browser, signed in, last seen."""
    browsers = services_sessions.session_list_for(
        member=request.user, current_key=request.session.session_key
    )
    context = {
        "browsers": browsers,
        "others": sum(1 for browser in browsers if not browser.is_current),
        "seen_minutes": settings.VECHE_SESSION_SEEN_MINUTES,
    }
    return render(request, "members/sessions.html", context)


@login_required
@require_POST
def session_end_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """End one browser's session. Ending the current one signs this browser out."""
    current = services_sessions.session_end(request=request, member=request.user, pk=pk)
    if current is None:
        raise Http404
    if current:
        return redirect("home")
    if request.htmx:  # the row goes away in the page
        return HttpResponse("")
    messages.success(request, _("That browser is signed out."))
    return redirect("members:sessions")


@login_required
@require_POST
def session_end_others_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    services_sessions.session_end_others(request=request, member=request.user)
    messages.success(request, _("Every other browser is signed out."))
    return redirect("members:sessions")
