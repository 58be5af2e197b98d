from contextlib import nullcontext

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import LazyObject

from config.cache import reading_ahead

from .selectors import community_settings_for
from .services import activity_record
from .services_sessions import session_seen_record
from .services_summary import summary_opened, summary_opened_from
from .sso import SSO_MFA_SESSION_KEY


class MemberLanguageMiddleware:
    """A signed-in member sees the site in their preferred language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class SuspensionMiddleware:
    """A member suspended or banned while signed in is signed out at the next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (user.is_suspended or user.is_banned):
            logout(request)
        return self.get_response(request)


class ReadAheadMiddleware:
    """The cached values most of a signed-in member's pages ask for (their own row, their
    moderator flag, the community settings, the rules, their drafts and list settings…) in one
    cache trip instead of one each (``config.cache.reading_ahead``), for the member the session
    names: before anything asks who the member is, so that their row comes with it. The
    request then holds the member (or the anonymous user) itself, not Django's lazy object
    around it: a page asks ``user`` hundreds of times, each through the proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            member_id = int(request.session[SESSION_KEY])
        except (KeyError, TypeError, ValueError):  # no one signed in
            member_id = None
        with reading_ahead(member_id) if member_id is not None else nullcontext():
            user = request.user
            if isinstance(user, LazyObject):
                user.is_authenticated  # noqa: B018 - evaluates it (the row read ahead)
                request.user = user._wrapped
            return self.get_response(request)


class ActivityMiddleware:
    """Records the day a signed-in member is active (no query once recorded for the day), and
    the first visit through a link of a summary e-mail (``?from=summary&s=…``: one UPDATE,
    only on such requests; the signed id is the proof, so it counts before logging in too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        opened = summary_opened_from(request.GET) if "s" in request.GET else None
        if opened is not None:
            summary_opened(summary_id=opened.summary_id)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and response.status_code < 400
            and not getattr(request, "background", False)  # a poll of an open page
        ):
            activity_record(member=user)
        return response


class SessionSeenMiddleware:
    """Keeps "last seen" on the member's signed-in browsers (Settings → "Signed-in browsers")
    at most once per ``VECHE_SESSION_SEEN_MINUTES`` per browser: a cache call per period,
    no query (members/services_sessions.py). allauth's own tracking would write every time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and session.session_key  # an API token's request has no browser session
            and response.status_code < 400
        ):
            session_seen_record(member=user, session_key=session.session_key)
        return response


EXEMPT_PREFIXES = ("/accounts/", "/sso/", "/static/", "/i18n/", "/u/", "/rules/", "/pages/")
# Staff without two-factor reach only what they need to set it up (and to log out): the rules
# and pages are staff-editable, so they are not exempt here.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/u/")


class StaffMfaMiddleware:
    """When ``VECHE_STAFF_MFA_REQUIRED`` is on, staff must set up TOTP before anything else,
    unless they signed in through the product and it asserted a second factor (members/sso.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.VECHE_STAFF_MFA_REQUIRED
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not request.session.get(SSO_MFA_SESSION_KEY)
        ):
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class PrivateCommunityMiddleware:
    """In a private community visitors see only the landing page, accounts and rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not request.user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES + ("/r/", "/admin/"))
            and community_settings_for(request).private
        ):
            if request.path == "/":
                # The landing page names the community and nothing in it: the home page's
                # blocks list questions and ideas.
                return render(request, "members/private_landing.html")
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)
