"""Drafts: the editor's autosave, the member's drafts page, continuing and discarding one.
A draft is its member's alone: another member's gives 404."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.http import safe_next_url
from members.http import AuthenticatedHttpRequest

from .models import Draft
from .selectors import draft_count, draft_list_for, draft_rows
from .services_drafts import Refused, draft_discard, draft_save


def _own_draft(request: AuthenticatedHttpRequest, pk: int) -> Draft:
    draft = Draft.objects.filter(pk=pk, member_id=request.user.pk).first()
    if draft is None:  # another member's and a missing one look the same
        raise Http404
    return draft


def _minute() -> int:
    return int(time.time() // 60)


def _over_rate_limit(member_id: int) -> bool:
    """A fixed window per member and minute, counted in the cache (Redis away: no limit)."""
    limit = settings.VECHE_DRAFT_SAVES_PER_MINUTE
    key = f"veche:draft-saves:{member_id}:{_minute()}"
    try:
        cache.add(key, 0, 70)
        count = cache.incr(key)
    except ValueError:  # expired in between, or the cache is unreachable
        return False
    return bool(limit and count is not None and count > limit)


@require_POST
def draft_save_view(request: HttpRequest) -> JsonResponse:
    """The editor's autosave (static/js/drafts.js), a second or two after the member stops
    typing: ``key`` names the form, ``title`` and ``body`` are what it holds. JSON only."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Please log in to keep drafts.")}, status=403)
    if _over_rate_limit(request.user.pk):
        return JsonResponse({"error": _("Saving too often. The draft is kept later.")}, status=429)
    try:
        saved_at = draft_save(
            member=request.user,
            key=request.POST.get("key", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    except Refused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if saved_at is None:
        return JsonResponse({"saved": False, "message": ""})
    when = formats.time_format(timezone.localtime(saved_at), "TIME_FORMAT")
    return JsonResponse({"saved": True, "message": _("Draft saved at %(time)s") % {"time": when}})


@login_required
@require_GET
def draft_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"rows": draft_list_for(request.user), "keep_days": settings.VECHE_DRAFT_KEEP_DAYS}
    return render(request, "uploads/drafts.html", context)


@login_required
@require_GET
def draft_count_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The count beside "Drafts" in the account menu, loaded by htmx when the menu opens (no
    query on the pages themselves)."""
    return render(request, "uploads/_draft_count.html", {"count": draft_count(request.user)})


@login_required
@require_GET
def draft_open_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Continue a draft: its form, which restores it."""
    [row] = draft_rows(request.user, [_own_draft(request, pk)])
    if row.url is None:  # its question is gone or hidden now: the drafts page shows the text
        raise Http404
    return redirect(row.url)


@login_required
@require_POST
def draft_discard_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = _own_draft(request, pk)
    draft_discard(member=request.user, key=draft.key)
    messages.success(request, _("The draft was discarded."))
    return redirect(safe_next_url(request, fallback=reverse("uploads:drafts")))
