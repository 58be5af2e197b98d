from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from config.site import SiteAddress, on_site

from .models import Member, MembershipApplication, OutboundEmail
from .services_club import APPLICANT_SESSION_KEY
from .services_outbox import ACCOUNT_KIND, email_send_now


class AccountAdapter(DefaultAccountAdapter):
    def get_from_email(self) -> str:
        return settings.DEFAULT_FROM_EMAIL

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (codes, links to verify an address or reset a password) go through
        the outbox like every other: recorded first, sent at once by this process, and sent
        by the sweep if the mail server did not take them now."""
        # The context allauth's own send_mail gives its templates.
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": SiteAddress()}
        message = self.render_mail(template_prefix, email, {**ctx, **context})
        alternatives = getattr(message, "alternatives", [])
        html = next((str(part[0]) for part in alternatives if part[1] == "text/html"), "")
        body = str(message.body)
        if message.content_subtype == "html":
            html, body = body, strip_tags(body)
        user = context.get("user")
        email_send_now(
            OutboundEmail(
                recipient=user if isinstance(user, Member) else None,
                to=email,
                kind=ACCOUNT_KIND,
                subject=str(message.subject)[:250],
                body=body,
                html_body=html,
                headers=dict(message.extra_headers),
            )
        )

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def get_client_ip(self, request: HttpRequest) -> str:
        """A request made in code rather than by a browser (the test client's ``force_login``,
        which the signed-in browsers list records) has no address: it gets none, instead of
        allauth's refusal. Every request a server passes on has one."""
        if "REMOTE_ADDR" not in request.META and "SERVER_NAME" not in request.META:
            return "0.0.0.0"  # noqa: S104 - recorded, never bound to
        return super().get_client_ip(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # With the product's log-in as the only way in, accounts are made by it alone.
        return not settings.VECHE_SSO_ONLY and super().is_open_for_signup(request)

    def get_login_stages(self) -> list[str]:
        """The two-factor step is skipped at a log-in through the product when the product
        asserted a second factor (members.views_identity.sso_return_view)."""
        stages = super().get_login_stages()
        request = allauth_context.request
        if getattr(request, "sso_mfa", False):
            stages = [s for s in stages if s != "allauth.mfa.stages.AuthenticateStage"]
        return stages

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """allauth logs a member in even when the backend's ``user_can_authenticate`` refused
        (it only stops inactive accounts), so suspended and banned members are stopped here;
        and with ``VECHE_SSO_ONLY`` only superusers may use another way in than the product."""
        if (
            settings.VECHE_SSO_ONLY
            and not hasattr(request, "sso_mfa")
            and not getattr(user, "is_superuser", False)
        ):
            clear_login(request)
            reason = _("Please sign in with your product account.")
            return render(request, "403.html", {"reason": reason}, status=403)
        if getattr(user, "is_suspended", False) or getattr(user, "is_banned", False):
            clear_login(request)
            if user.is_banned:
                reason = _("Your account is banned.")
            else:
                reason = _("Your account is suspended until %(until)s.") % {
                    "until": formats.date_format(
                        timezone.localtime(user.suspended_until), "DATETIME_FORMAT"
                    )
                }
            return render(request, "403.html", {"reason": reason}, status=403)
        return super().pre_login(request, user, **kwargs)

    def respond_user_inactive(self, request: HttpRequest, user: Any) -> HttpResponse:
        """An applicant to a private community (just signed up, or trying to log in before a
        decision) sees the page of their application instead of "account inactive"."""
        if MembershipApplication.objects.filter(member_id=user.pk).exists():
            request.session[APPLICANT_SESSION_KEY] = user.pk
            return redirect("members:application")
        return super().respond_user_inactive(request, user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request: HttpRequest, provider: str, client_id: str | None = None) -> Any:
        """A provider nobody configured (Google or GitHub without a client id, an unknown
        OpenID Connect id) is a page that does not exist, as allauth's OpenID Connect views
        already answer, not a server error."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404(_("This way of signing in is not set up.")) from None
