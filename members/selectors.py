"""Reads for members."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from config.cache import remember
from config.db import InSubquery, prepared
from config.urlbuild import url_for

from .bookmarks import resolve
from .feed import FEED_SOURCES, FeedItem
from .letters import letter_template_default
from .models import (
    Bookmark,
    CommunitySettings,
    DataExport,
    Expertise,
    ExpertRank,
    LetterTemplate,
    Member,
    MemberFollow,
    MembershipApplication,
    MembershipInvitation,
    Notification,
    member_row_entry,
)
from .notifications import KINDS, TARGET_VISIBILITY, render_message

COMMUNITY_SETTINGS_KEY = "veche:community-settings"
COMMUNITY_SETTINGS_SCOPE = "community-settings"
COMMUNITY_SETTINGS_ENTRY = (COMMUNITY_SETTINGS_KEY, (COMMUNITY_SETTINGS_SCOPE,))


# What pages show of a member next to a post (``member_link``, ``avatar``): name, badge,
# avatar, staff, and whether the account was deleted ("deleted member").
SHOWN_BESIDE_POSTS = (
    "id",
    "username",
    "display_name",
    "badge",
    "avatar",
    "is_staff",
    "deleted_at",
)


def columns_with_author(model: type[Model], *unshown: str, prefix: str = "author") -> list[str]:
    """``only()`` arguments for rows of ``model`` loaded with their author: every column of
    the row but ``unshown``, and of the author what is shown beside posts (no password hash,
    dates or bio). Named, not deferred: to defer the author's other columns, Django walks
    every relation of the member model (dozens) at each query, ~0.15 ms."""
    return [
        *(field.name for field in model._meta.concrete_fields if field.name not in unshown),
        *(f"{prefix}__{name}" for name in SHOWN_BESIDE_POSTS),
    ]


def member_list_directory() -> QuerySet[Member]:
    return (
        Member.objects.filter(is_active=True, banned_at__isnull=True)
        .prefetch_related(Prefetch("expertise", queryset=Expertise.objects.order_by("tag_slug")))
        .order_by("-date_joined", "-id")
    )


def _follow_count(field: str) -> Coalesce:
    counted = (
        MemberFollow.objects.filter(**{field: OuterRef("pk")})
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def member_get_profile(username: str) -> Member:
    """The member with their expertise and how many follow them and whom they follow."""
    return (
        Member.objects.filter(is_active=True)
        .annotate(
            followers_count=_follow_count("followed"), following_count=_follow_count("follower")
        )
        .prefetch_related(Prefetch("expertise", queryset=Expertise.objects.order_by("tag_slug")))
        .get(username=username)
    )


def _in_tags(tag_slugs: Iterable[str] | QuerySet) -> Q | InSubquery:
    # A query's slugs are read first (``InSubquery``): joined in, PostgreSQL sorted all 1,185
    # experts of a tag instead (5.7 ms against 1.4).
    if isinstance(tag_slugs, QuerySet):
        return InSubquery(F("tag_slug"), tag_slugs)
    return Q(tag_slug__in=tag_slugs)


def _shown_experts(rows: QuerySet) -> QuerySet[Member]:
    """Active members who are not banned among ``rows`` (of expertise or ranks), best
    reputation first, with the columns shown beside a name."""
    return (
        Member.objects.filter(
            Exists(rows.filter(member=OuterRef("pk"))), is_active=True, banned_at__isnull=True
        )
        .only(*SHOWN_BESIDE_POSTS)
        .order_by("-reputation", "id")
    )


def member_experts_in(tag_slugs: Iterable[str] | QuerySet) -> QuerySet[Member]:
    """Members with expertise in any of ``tag_slugs`` (a list, or a query selecting slugs),
    best reputation first, with the columns shown beside a name."""
    # A semi-join, not a join with DISTINCT: the database walks members by reputation and
    # stops at the slice's end (DISTINCT over every column sorted all experts: 23 ms at 20,000).
    return _shown_experts(Expertise.objects.filter(_in_tags(tag_slugs)))


def member_ranked_experts_in(tag_slugs: Iterable[str] | QuerySet) -> QuerySet[Member]:
    """``member_experts_in`` from the ranks (``ExpertRank``: the best ``EXPERTS_RANKED`` of
    each tag as last refreshed, in their order by reputation now): a few rows per tag, where
    the walk by reputation probed the expertise of ~150-300 members (0.9 ms of a question
    page on the benchmark's data)."""
    return _shown_experts(ExpertRank.objects.filter(_in_tags(tag_slugs)))


def member_list_experts(tag_slugs: list[str], *, exclude_ids=(), limit: int = 5) -> list[Member]:
    """Members with expertise in any of ``tag_slugs``, best reputation first."""
    if not tag_slugs:
        return []
    experts = member_experts_in(tag_slugs)
    if exclude_ids:  # the list kept per set of tags leaves no one out
        experts = experts.exclude(pk__in=list(exclude_ids))
    with prepared(Member):  # planned once per connection
        return list(experts[:limit])


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
    return remember(*COMMUNITY_SETTINGS_ENTRY, _community_settings_read, 300)


def _community_settings_read() -> CommunitySettings:
    # Read first: a get_or_create asks for the primary, and would pin a visitor's reads there
    # (config/replicas.py).
    found = CommunitySettings.objects.filter(pk=1).first()
    return found or CommunitySettings.objects.get_or_create(pk=1)[0]


MEMBER_ROW_SECONDS = 300


def member_row(member_id: Any) -> Member | None:
    """A signed-in member's row for their request (members.backends), kept in the cache under
    their own scope (``member_row_entry``: every write to the row touches it) and read ahead
    with the request's other values: no query. Kept without the password hash: the session's
    check uses the hash of it made when the row was loaded, and anything else that reads the
    password loads it (a deferred field)."""
    try:
        pk = int(member_id)
    except (TypeError, ValueError):
        return None
    return remember(*member_row_entry(pk), lambda: _member_row_read(pk), MEMBER_ROW_SECONDS)


def _member_row_read(pk: int) -> Member | None:
    member = Member.objects.filter(pk=pk).first()
    if member is not None:
        member.__dict__["_session_auth_hash"] = member.get_session_auth_hash()
        del member.__dict__["password"]  # deferred: loaded again only when read
    return member


def community_settings_for(request) -> CommunitySettings:
    """The settings once per request (middleware and templates both need them)."""
    cached = getattr(request, "_community_settings", None)
    if cached is None:
        cached = request._community_settings = community_settings_get()
    return cached


def bookmark_page_rows(bookmarks: Iterable[Bookmark], member: Member) -> list[dict]:
    """Each bookmark with the title and address of what it keeps, when the member may still see
    it (``members.bookmarks``): one query per kind of post on the page."""
    rows = list(bookmarks)
    shown = resolve(member, [(b.target_type_id, b.target_id) for b in rows])
    return [
        {
            "bookmark": b,
            "shown": shown.get((b.target_type_id, b.target_id)),
            "due": b.remind_at is not None and b.reminded_at is None,
        }
        for b in rows
    ]


def bookmark_list_for(member: Member) -> QuerySet[Bookmark]:
    return Bookmark.objects.filter(member=member).order_by("-created_at", "-id")


FEED_PAGE = 30


def member_feed(viewer: Member, before: datetime | None = None) -> list[dict]:
    """The latest posts of the members ``viewer`` follows, that ``viewer`` may see, newest
    first, ``FEED_PAGE`` at a time (``before``: the time of the last one shown)."""
    followed = list(
        MemberFollow.objects.filter(follower=viewer).values_list("followed_id", flat=True)
    )
    if not followed:
        return []
    items: list[FeedItem] = []
    for source in FEED_SOURCES:
        items.extend(source(viewer, followed, before, FEED_PAGE))
    items.sort(key=lambda item: item["created_at"], reverse=True)
    items = items[:FEED_PAGE]
    authors = Member.objects.only(*SHOWN_BESIDE_POSTS).in_bulk([i["author_id"] for i in items])
    return [{**item, "author": authors.get(item["author_id"])} for item in items]


def member_follows(viewer: Any, member: Member) -> bool:
    """Whether ``viewer`` follows ``member`` (no query for visitors and for oneself)."""
    if not getattr(viewer, "is_authenticated", False) or viewer.pk == member.pk:
        return False
    return MemberFollow.objects.filter(follower=viewer, followed=member).exists()


# --- club mode ----------------------------------------------------------------------------


def community_settings_for_edit() -> CommunitySettings:
    """The settings row itself, for staff's settings form (never the cached copy)."""
    return CommunitySettings.objects.get_or_create(pk=1)[0]


def membership_application_get(member_id: int) -> MembershipApplication:
    return MembershipApplication.objects.select_related("member").get(member_id=member_id)


def membership_application_count_pending() -> int:
    return MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING).count()


def membership_invitation_get_open(token: str) -> MembershipInvitation:
    return MembershipInvitation.objects.get(token=token, used_at__isnull=True)


def membership_invitation_list_recent(limit: int = 20) -> list[MembershipInvitation]:
    return list(MembershipInvitation.objects.select_related("used_by")[:limit])


# --- letters staff write --------------------------------------------------------------------


def welcome_letter_get() -> LetterTemplate:
    """The welcome letter as staff last saved it, or the default text until they do."""
    saved = (
        LetterTemplate.objects.filter(purpose=LetterTemplate.Purpose.WELCOME)
        .select_related("signer")
        .first()
    )
    return saved or letter_template_default(LetterTemplate.Purpose.WELCOME)


def letter_template_list() -> QuerySet[LetterTemplate]:
    """Every saved template, the welcome letter first, with who signs and who last edited."""
    return LetterTemplate.objects.select_related("signer", "updated_by").order_by(
        "-purpose", "name", "id"
    )


def outreach_template_list() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(purpose=LetterTemplate.Purpose.OUTREACH).order_by(
        "name", "id"
    )


def outreach_template_get(pk: int) -> LetterTemplate:
    return outreach_template_list().get(pk=pk)


def letter_signer_choices() -> QuerySet[Member]:
    """Who may sign a letter: active staff members."""
    return Member.objects.filter(is_staff=True, is_active=True).order_by("username")


def data_export_list_for(member: Member, limit: int = 5) -> list[DataExport]:
    """The member's latest export requests, without their archives (the privacy page)."""
    return list(DataExport.objects.filter(member=member).defer("archive")[:limit])


def _mentionable() -> QuerySet[Member]:
    """Members a mention may name: active, neither banned, suspended nor deleted."""
    return Member.objects.filter(
        is_active=True, banned_at__isnull=True, deleted_at__isnull=True
    ).exclude(suspended_until__gt=timezone.now())


def member_profiles_by_name(names: Iterable[str]) -> dict[str, str]:
    """Lower-cased username → profile address of the members named (case-insensitively),
    in one query: what ``@name`` links to (config.markdown's mention resolver). Deleted
    members are no link; anyone else with an account is."""
    lowered = {name.lower() for name in names}
    if not lowered:
        return {}
    usernames = (
        Member.objects.annotate(lower_name=Lower("username"))
        .filter(lower_name__in=lowered, deleted_at__isnull=True)
        .values_list("username", flat=True)
    )
    return {u.lower(): url_for("members:profile", username=u) for u in usernames}


def member_list_mentioned(
    names: Iterable[str], *, exclude_ids: Iterable[int | None]
) -> list[Member]:
    """The mentionable members named (case-insensitively) in ``names``, in their order."""
    order = {name.lower(): i for i, name in enumerate(names)}
    if not order:
        return []
    found = (
        _mentionable()
        .annotate(lower_name=Lower("username"))
        .filter(lower_name__in=list(order))
        .exclude(pk__in=[pk for pk in exclude_ids if pk])
    )
    return sorted(found, key=lambda m: order[m.username.lower()])


def member_list_mention_suggestions(
    prefix: str, *, tag_slugs: Iterable[str] = (), exclude_ids: Iterable[int] = (), limit: int = 8
) -> list[Member]:
    """The members the mention picker offers for ``@prefix``, in one query: those with
    expertise in one of ``tag_slugs`` first, then those whose username starts with the prefix
    before those whose display name does, then by reputation."""
    prefix = prefix.strip().lstrip("@")
    slugs = [slug for slug in tag_slugs if slug]
    members = _mentionable().exclude(pk__in=list(exclude_ids))
    if prefix:
        members = members.filter(
            Q(username__istartswith=prefix) | Q(display_name__istartswith=prefix)
        )
    expert = (
        Exists(Expertise.objects.filter(member=OuterRef("pk"), tag_slug__in=slugs))
        if slugs
        else Value(False)
    )
    by_username = (
        Case(When(username__istartswith=prefix, then=Value(1)), default=Value(0))
        if prefix
        else Value(0)
    )
    return list(
        members.annotate(is_expert=expert, by_username=by_username)
        .only(*SHOWN_BESIDE_POSTS)
        .order_by("-is_expert", "-by_username", "-reputation", "username")[:limit]
    )
