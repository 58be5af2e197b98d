"""The badges pages and the user card (members.badges, members.selectors_badges)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.cache import PAGE, cache_anonymous_page

from . import selectors_badges
from .badges import get_badge
from .models import Member


def _members(request: HttpRequest, *args: object, **kwargs: object) -> tuple[str, ...]:
    return ("members",)


@require_safe
@cache_anonymous_page(_members)
def badge_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "members/badges.html",
        {"badges": selectors_badges.badge_catalogue_with_counts()},
    )


@require_safe
@cache_anonymous_page(_members, {"page": PAGE})
def badge_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    spec = get_badge(slug)
    if spec is None:
        raise Http404(_("No such badge."))
    page = Paginator(
        selectors_badges.badge_list_holders(slug), settings.VECHE_MEMBERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "members/badge_detail.html", {"badge": spec, "page_obj": page})


@require_safe
@cache_anonymous_page(_members)
def member_card_view(request: HttpRequest, username: str) -> HttpResponse:
    """The small card the avatar opens on hover or tap (an htmx fragment; the avatar itself
    links to the profile without JavaScript)."""
    try:
        member = selectors_badges.member_get_card(username, request.user)
    except Member.DoesNotExist:
        raise Http404(_("No such member.")) from None
    held = selectors_badges.held_badges(member.badges.all())
    return render(request, "members/_user_card.html", {"card": member, "held": held})
