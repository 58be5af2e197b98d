"""Reads for members."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from config.cache import remember

from .models import CommunitySettings, DataExport, Expertise, Member, Notification
from .notifications import KINDS, TARGET_VISIBILITY, render_message

COMMUNITY_SETTINGS_KEY = "veche:community-settings"
COMMUNITY_SETTINGS_SCOPE = "community-settings"


# What pages show of a member next to a post (``member_link``): name, badge, staff, and
# whether the account was deleted ("deleted member").
SHOWN_BESIDE_POSTS = ("id", "username", "display_name", "badge", "is_staff", "deleted_at")


def author_columns_unshown(prefix: str = "author") -> list[str]:
    """``defer()`` arguments for the member columns no post shows (a password hash, five
    dates, the bio…): a list of posts loads its authors' names and badges only."""
    return [
        f"{prefix}__{field.attname}"
        for field in Member._meta.concrete_fields
        if field.attname not in SHOWN_BESIDE_POSTS
    ]


def member_list_directory() -> QuerySet[Member]:
    return (
        Member.objects.filter(is_active=True, banned_at__isnull=True)
        .prefetch_related(Prefetch("expertise", queryset=Expertise.objects.order_by("tag_slug")))
        .order_by("-date_joined", "-id")
    )


def member_get_profile(username: str) -> Member:
    return (
        Member.objects.filter(is_active=True)
        .prefetch_related(Prefetch("expertise", queryset=Expertise.objects.order_by("tag_slug")))
        .get(username=username)
    )


def member_list_experts(tag_slugs: list[str], *, exclude_ids=(), limit: int = 5) -> list[Member]:
    """Members with expertise in any of ``tag_slugs``, best reputation first."""
    if not tag_slugs:
        return []
    # A semi-join, not a join with DISTINCT: the database walks members by reputation and
    # stops at ``limit`` (DISTINCT over every column sorted all experts: 23 ms at 20,000).
    return list(
        Member.objects.filter(
            Exists(Expertise.objects.filter(member=OuterRef("pk"), tag_slug__in=tag_slugs)),
            is_active=True,
            banned_at__isnull=True,
        )
        .exclude(pk__in=list(exclude_ids))
        .order_by("-reputation", "id")[:limit]
    )


def notification_list_for(member: Member) -> QuerySet[Notification]:
    """The member's notifications, without those about objects they may no longer see (a post
    hidden, deleted or in a category closed to them since): their text quotes its title."""
    qs = Notification.objects.filter(recipient=member).select_related("actor")
    own_post_kinds = [key for key, kind in KINDS.items() if kind.about_own_post]
    for model, visible_to in TARGET_VISIBILITY.items():
        content_type = ContentType.objects.get_for_model(model)
        qs = qs.filter(
            ~Q(target_type=content_type)
            | Q(kind__in=own_post_kinds)
            | Q(target_id__in=visible_to(member).values("pk"))
        )
    return qs


def notifications_with_messages(notifications: Iterable[Notification]) -> list[Notification]:
    """The notifications with ``message``: each one's text from its kind and params."""
    shaped = list(notifications)
    for n in shaped:
        n.message = render_message(n.kind, n.params)
    return shaped


def community_settings_get() -> CommunitySettings:
    """The settings from the cache, else the database. Kept under the ``community-settings``
    scope, which ``members.services.community_settings_update`` touches now and when the save
    commits: the private switch never comes back from an old copy (``config.cache.remember``)."""
    return remember(
        COMMUNITY_SETTINGS_KEY, (COMMUNITY_SETTINGS_SCOPE,), _community_settings_read, 300
    )


def _community_settings_read() -> CommunitySettings:
    # Read first: a get_or_create asks for the primary, and would pin a visitor's reads there
    # (config/replicas.py).
    found = CommunitySettings.objects.filter(pk=1).first()
    return found or CommunitySettings.objects.get_or_create(pk=1)[0]


def community_settings_for(request) -> CommunitySettings:
    """The settings once per request (middleware and templates both need them)."""
    cached = getattr(request, "_community_settings", None)
    if cached is None:
        cached = request._community_settings = community_settings_get()
    return cached


def data_export_list_for(member: Member, limit: int = 5) -> list[DataExport]:
    """The member's latest export requests, without their archives (the privacy page)."""
    return list(DataExport.objects.filter(member=member).defer("archive")[:limit])
