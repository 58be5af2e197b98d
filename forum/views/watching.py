"""Setting a member's level for a tag or a category (the form on their pages)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from members.forms import WatchLevelForm
from members.http import AuthenticatedHttpRequest

from ..models import Category, Tag
from ..permissions import questions as perms
from ..selectors.watching import topic_level
from ..services.watching import topic_watch_set


def watch_form_context(
    request: HttpRequest,
    *,
    tag: Tag | None = None,
    category: Category | None = None,
    saved: bool = False,
) -> dict | None:
    """The level form of a tag's or category's page, for members (None for visitors: their
    cached pages stay the same)."""
    if not request.user.is_authenticated:
        return None
    if tag is not None:
        action = reverse("forum:tag-watch", kwargs={"slug": tag.slug})
    else:
        assert category is not None
        action = reverse("forum:category-watch", kwargs={"slug": category.slug})
    return {
        "action": action,
        "level": topic_level(request.user, tag=tag, category=category),
        "form": WatchLevelForm(),
        "saved": saved,
    }


def _set_level(
    request: AuthenticatedHttpRequest, *, tag: Tag | None = None, category: Category | None = None
) -> HttpResponse:
    form = WatchLevelForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    topic_watch_set(
        member=request.user, level=form.cleaned_data["level"], tag=tag, category=category
    )
    if request.htmx:
        watch = watch_form_context(request, tag=tag, category=category, saved=True)
        return render(request, "members/_watch_form.html", {"watch": watch})
    page = tag or category
    assert page is not None
    return redirect(page.get_absolute_url())


@login_required
@require_POST
def tag_watch_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _set_level(request, tag=get_object_or_404(Tag, slug=slug))


@login_required
@require_POST
def category_watch_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    perms.check_can_view_category(request.user, category)
    return _set_level(request, category=category)
