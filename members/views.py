from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from config.cache import PAGE, cache_anonymous_page
from config.http import csrf_for_members_only, safe_next_url

from . import (
    selectors,
    selectors_badges,
    services,
    services_bookmarks,
    services_follows,
    services_summary,
)
from .filters import MemberDirectoryFilter
from .forms import (
    MAX_ID,
    BookmarkForm,
    EmailPreferencesForm,
    LanguageForm,
    LetterTemplateForm,
    ProfileForm,
)
from .http import AuthenticatedHttpRequest
from .letters import letter_template_default, placeholders_for
from .models import Bookmark, LetterTemplate, Member, SummaryFrequency
from .notifications import get_kind
from .permissions import check_is_staff
from .profile import PROFILE_SECTIONS
from .summary import SUMMARY_KIND
from .watching import watched_topics


def _members(request: HttpRequest, *args: object, **kwargs: object) -> tuple[str, ...]:
    return ("members", "questions")


@cache_anonymous_page(
    _members,
    {"page": PAGE, "sort": ("joined", "-joined", "active", "-active", "reputation", "-reputation")},
)
def member_directory_view(request: HttpRequest) -> HttpResponse:
    filterset = MemberDirectoryFilter(request.GET, queryset=selectors.member_list_directory())
    page = Paginator(filterset.qs, settings.VECHE_MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "members/directory.html", {"filter": filterset, "page_obj": page})


@cache_anonymous_page(_members)
def member_profile_view(request: HttpRequest, username: str) -> HttpResponse:
    try:
        member = selectors.member_get_profile(username)
    except Member.DoesNotExist:
        raise Http404(_("No such member.")) from None
    return render(
        request,
        "members/profile.html",
        {
            "profile": member,
            "sections": profile_sections(request, member),
            "viewer_follows": selectors.member_follows(request.user, member),
            "held_badges": selectors_badges.member_badge_list(member),
        },
    )


def _followable(username: str) -> Member:
    member = Member.objects.filter(username=username, is_active=True).first()
    if member is None:
        raise Http404(_("No such member."))
    return member


@login_required
@require_POST
def member_follow_view(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    member = _followable(username)
    try:
        services_follows.member_follow(follower=request.user, followed=member)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You follow %(name)s now.") % {"name": member.name})
    return redirect(member.get_absolute_url())


@login_required
@require_POST
def member_unfollow_view(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    member = _followable(username)
    services_follows.member_unfollow(follower=request.user, followed=member)
    return redirect(member.get_absolute_url())


@login_required
@require_safe
def member_feed_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New posts of the members one follows, newest first; ``before`` pages back in time."""
    raw = request.GET.get("before", "")[:40]
    try:
        before = parse_datetime(raw) if raw else None
    except ValueError:  # well formed, but no such moment
        before = None
    if raw and before is None:
        return render(request, "400.html", status=400)
    if before is not None and timezone.is_naive(before):
        before = timezone.make_aware(before, timezone.get_current_timezone())
    items = selectors.member_feed(request.user, before=before)
    older = items[-1]["created_at"].isoformat() if len(items) == selectors.FEED_PAGE else ""
    return render(request, "members/feed.html", {"items": items, "older": older})


def profile_sections(request: HttpRequest, member: Member) -> list:
    """Other apps contribute blocks to the profile page (questions, ideas, badges…)."""
    return [section(request, member) for section in PROFILE_SECTIONS]


def _settings_page(
    request: AuthenticatedHttpRequest,
    *,
    profile_form: ProfileForm | None = None,
    prefs_form: EmailPreferencesForm | None = None,
) -> HttpResponse:
    """The settings page; a form that failed to validate is shown again with its errors."""
    member = request.user
    context = {
        "profile_form": profile_form or ProfileForm(instance=member, prefix="profile"),
        "prefs_form": prefs_form or EmailPreferencesForm(member=member, prefix="prefs"),
        "watched_topics": watched_topics(member),
    }
    status = 400 if profile_form or prefs_form else 200
    return render(request, "members/settings.html", context, status=status)


@login_required
@require_safe
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _settings_page(request)


@login_required
@require_POST
def settings_profile_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    member = request.user
    form = ProfileForm(request.POST, instance=member, prefix="profile")
    if not form.is_valid():
        return _settings_page(request, profile_form=form)
    services.member_update_profile(
        member=member,
        display_name=form.cleaned_data["display_name"],
        bio=form.cleaned_data["bio"],
        website=form.cleaned_data["website"],
        preferred_language=form.cleaned_data["preferred_language"],
        expertise=form.cleaned_data["expertise"],
    )
    response = redirect("members:settings")
    if member.preferred_language:
        _remember_language(response, member.preferred_language)
    messages.success(request, _("Your profile was saved."))
    return response


@login_required
@require_POST
def settings_preferences_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    member = request.user
    form = EmailPreferencesForm(request.POST, member=member, prefix="prefs")
    if "all_off" in request.POST:
        services.member_update_email_preferences(
            member=member,
            preferences=form.preferences_all_off(),
            digest_opt_in=False,
            summary_frequency=SummaryFrequency.NEVER,
        )
        messages.success(request, _("All e-mail notifications are off."))
        return redirect("members:settings")
    if not form.is_valid():
        return _settings_page(request, prefs_form=form)
    services.member_update_email_preferences(
        member=member,
        preferences=form.preferences(),
        digest_opt_in=form.cleaned_data["digest_opt_in"],
        summary_frequency=form.cleaned_data["summary_frequency"] or None,
    )
    messages.success(request, _("Your e-mail preferences were saved."))
    return redirect("members:settings")


@csrf_for_members_only
@require_POST
def language_set_view(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", status=400)
    language = form.cleaned_data["language"]
    next_url = safe_next_url(request, "/")
    if request.user.is_authenticated:
        services.member_set_language(member=request.user, language=language)
    response = redirect(next_url)
    _remember_language(response, language)
    return response


def _remember_language(response: HttpResponse, language: str) -> None:
    """The interface language outlives the session (visitors have no other place for it)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


@login_required
def notification_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.notifications_with_messages(page.object_list)
    return render(request, "members/notifications.html", {"page_obj": page})


MENU_SIZE = 8


# --- bookmarks ------------------------------------------------------------------------------


@login_required
@require_safe
def bookmark_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.bookmark_list_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    rows = selectors.bookmark_page_rows(page.object_list, request.user)
    return render(request, "members/bookmarks.html", {"page_obj": page, "rows": rows})


def _bookmark_target(
    request: AuthenticatedHttpRequest, content_type_id: int, object_id: int
) -> tuple[ContentType, str]:
    if max(content_type_id, object_id) > MAX_ID:
        raise Http404
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    try:
        title = services_bookmarks.bookmark_target_check(
            member=request.user, content_type=content_type, object_id=object_id
        )
    except PermissionDenied as exc:  # not bookmarkable or not visible: nothing to tell apart
        raise Http404 from exc
    return content_type, title


@login_required
def bookmark_new_view(
    request: AuthenticatedHttpRequest, content_type_id: int, object_id: int
) -> HttpResponse:
    """Keep a post: the form with a note and a reminder (the post's "Bookmark" link)."""
    content_type, title = _bookmark_target(request, content_type_id, object_id)
    existing = Bookmark.objects.filter(
        member=request.user, target_type=content_type, target_id=object_id
    ).first()
    if existing is not None:
        return redirect("members:bookmark-edit", pk=existing.pk)
    form = BookmarkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_bookmarks.bookmark_save(
                    member=request.user,
                    content_type=content_type,
                    object_id=object_id,
                    note=form.cleaned_data["note"],
                    remind_at=form.cleaned_data["when"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Bookmarked."))
                return redirect(safe_next_url(request, reverse("members:bookmarks")))
    context = {"form": form, "title": title, "next": request.GET.get("next", "")}
    return render(request, "members/bookmark_form.html", context, status=status)


def _own_bookmark(request: AuthenticatedHttpRequest, pk: int) -> Bookmark:
    """The member's own bookmark; anybody else's is a 404 (not a 403: no probing)."""
    if pk > MAX_ID:
        raise Http404
    bookmark = Bookmark.objects.filter(pk=pk, member=request.user).first()
    if bookmark is None:
        raise Http404
    return bookmark


@login_required
def bookmark_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bookmark = _own_bookmark(request, pk)
    row = selectors.bookmark_page_rows([bookmark], request.user)[0]
    pending = bookmark.remind_at is not None and bookmark.reminded_at is None
    initial: dict[str, object] = {"note": bookmark.note}
    if pending:
        initial.update(remind="at", remind_at=timezone.localtime(bookmark.remind_at))
    form = BookmarkForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_bookmarks.bookmark_update(
                    bookmark=bookmark,
                    note=form.cleaned_data["note"],
                    remind_at=form.cleaned_data["when"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Bookmark saved."))
                return redirect(safe_next_url(request, reverse("members:bookmarks")))
    shown = row["shown"]
    context = {
        "form": form,
        "bookmark": bookmark,
        "title": shown[0] if shown else None,
        "url": shown[1] if shown else None,
        "next": request.GET.get("next", ""),
    }
    return render(request, "members/bookmark_form.html", context, status=status)


@login_required
@require_POST
def bookmark_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services_bookmarks.bookmark_delete(bookmark=_own_bookmark(request, pk))
    messages.success(request, _("Bookmark removed."))
    return redirect(safe_next_url(request, reverse("members:bookmarks")))


@login_required
@require_safe
def notification_menu_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header's notification menu: the latest notifications, loaded when it is opened
    (htmx). Without JavaScript the menu links to the notifications page instead."""
    latest = selectors.notifications_with_messages(
        selectors.notification_list_for(request.user)[:MENU_SIZE]
    )
    return render(request, "members/_notification_menu.html", {"latest": latest})


@login_required
@require_safe
def notification_count_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unread count in the header, polled by open pages: from the member's row (no
    query of its own), and not a visit (an idle tab does not make its member active)."""
    request.background = True  # type: ignore[attr-defined]  # read by ActivityMiddleware
    response = render(
        request, "members/notification_count.html", {"user": request.user}, using="jinja2"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def notification_read_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.POST.getlist("id")
    ids = [int(x) for x in raw if x.isdigit()] if raw else None
    services.notification_mark_read(member=request.user, ids=ids)
    return redirect(safe_next_url(request, reverse("members:notifications")))


@csrf_exempt
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button page; POST (the button, or a mail client's RFC 8058 one-click
    request) unsubscribes. The signed token is the authorization, so no CSRF token exists."""
    resolved = services.unsubscribe_resolve(token)
    if resolved is None:
        return render(request, "members/unsubscribe.html", {"invalid": True}, status=404)
    member, kind = resolved
    label = (
        _("the weekly digest")
        if kind == "digest"
        else _("the summary e-mail")
        if kind == SUMMARY_KIND
        else get_kind(kind).label
    )
    if request.method == "POST":
        services.member_unsubscribe(member=member, kind=kind)
        return render(request, "members/unsubscribe.html", {"done": True, "label": label})
    return render(request, "members/unsubscribe.html", {"label": label, "token": token})


# --- letters staff write (docs/community-manager.md) ------------------------------------------


@login_required
@require_safe
def letter_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_is_staff(request.user)
    return render(
        request,
        "members/letter_list.html",
        {"templates": selectors.letter_template_list(), "welcome": selectors.welcome_letter_get()},
    )


def _letter_edit(
    request: AuthenticatedHttpRequest, template: LetterTemplate, title: str
) -> HttpResponse:
    check_is_staff(request.user)
    form = LetterTemplateForm(
        request.POST or None, instance=template, signers=selectors.letter_signer_choices()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.letter_template_save(actor=request.user, template=form.save(commit=False))
            messages.success(request, _("The letter was saved."))
            return redirect("members:letter-list")
        status = 400
    context = {
        "form": form,
        "title": title,
        "template": template,
        "placeholders": placeholders_for(template.purpose).items(),
    }
    return render(request, "members/letter_edit.html", context, status=status)


@login_required
def letter_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    template = letter_template_default(LetterTemplate.Purpose.OUTREACH)
    template.name = ""
    return _letter_edit(request, template, _("New outreach letter"))


@login_required
def letter_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_is_staff(request.user)
    try:
        template = selectors.outreach_template_get(pk)
    except LetterTemplate.DoesNotExist:
        raise Http404(_("No such letter.")) from None
    return _letter_edit(request, template, _("Edit an outreach letter"))


@login_required
def welcome_letter_edit_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _letter_edit(request, selectors.welcome_letter_get(), _("The welcome letter"))


@login_required
@require_safe
def summary_figures_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff's figures of the summary e-mail, per week: sent, opened the site from one, came
    back within ``VECHE_SUMMARY_RETURN_DAYS`` days."""
    check_is_staff(request.user)
    return render(
        request,
        "members/summary_figures.html",
        {
            "weeks": services_summary.summary_figures(),
            "return_days": settings.VECHE_SUMMARY_RETURN_DAYS,
        },
    )
