"""Cross-links: the distinct pairs of members who interacted in a period, the seeds' "density
of connections" (docs/analytics.md, "Connections").

An **interaction source** is a function ``(since, until) -> QuerySet`` of the values ``a``
and ``b`` (the two members' ids) and ``d`` (the day, ``TruncDate`` of when it happened) for
what happened at ``since <= t < until``. The order of ``a`` and ``b`` does not matter, self
pairs and erased members are dropped here, once, for every source. Everything runs in the
database: the sources become one ``UNION ALL`` inside a single query per period kind.

Adding a kind of interaction is one function appended to
``SOURCES`` here, or, from an app above analytics, given to ``register_source`` from its
``receivers.connect()``.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from conversations.models import Message
from forum.models import Answer, Comment, Question
from ideas.models import Idea
from members.models import ActivityDay, Member, MemberFollow, Mention

from .aggregates import as_date

Source = Callable[[datetime, datetime], QuerySet]
PUBLISHED = "published"


def _shown(since: datetime, until: datetime, *also: str) -> Q:
    """Published, not deleted, made in ``since``..``until``; and the same (without the time)
    for each relation named in ``also``."""
    condition = Q(created_at__gte=since, created_at__lt=until)
    for prefix in ("", *(f"{name}__" for name in also)):
        condition &= Q(
            **{f"{prefix}moderation_state": PUBLISHED, f"{prefix}deleted_at__isnull": True}
        )
    return condition


def answered(since: datetime, until: datetime) -> QuerySet:
    """A answered B's question (published answers to published questions, neither deleted)."""
    return (
        Answer.objects.filter(_shown(since, until, "question"))
        .order_by()
        .values(a=F("author_id"), b=F("question__author_id"), d=TruncDate("created_at"))
    )


def _comments_on(model: Any, since: datetime, until: datetime) -> QuerySet:
    """A commented on B's post of ``model`` (published comments on published posts, neither
    deleted)."""
    targets = model._default_manager.filter(pk=OuterRef("target_id"), moderation_state=PUBLISHED)
    if any(f.name == "deleted_at" for f in model._meta.get_fields()):
        targets = targets.filter(deleted_at__isnull=True)
    return (
        Comment.objects.filter(
            _shown(since, until), target_type=ContentType.objects.get_for_model(model)
        )
        .annotate(target_author=Subquery(targets.values("author_id")[:1]))
        .filter(target_author__isnull=False)
        .order_by()
        .values(a=F("author_id"), b=F("target_author"), d=TruncDate("created_at"))
    )


def commented_on_question(since: datetime, until: datetime) -> QuerySet:
    return _comments_on(Question, since, until)


def commented_on_answer(since: datetime, until: datetime) -> QuerySet:
    return _comments_on(Answer, since, until)


def commented_on_idea(since: datetime, until: datetime) -> QuerySet:
    return _comments_on(Idea, since, until)


def followed(since: datetime, until: datetime) -> QuerySet:
    """A started following B (a follow still there: an unfollow removes the row)."""
    return (
        MemberFollow.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .values(a=F("follower_id"), b=F("followed_id"), d=TruncDate("created_at"))
    )


def messaged(since: datetime, until: datetime) -> QuerySet:
    """A wrote a private message to B: every other member of the conversation (published
    messages, not deleted). Members who only share a group conversation are no pair until
    one of them writes in it."""
    return (
        Message.objects.filter(_shown(since, until))
        .order_by()
        .values(
            a=F("author_id"),
            b=F("conversation__participants__member_id"),
            d=TruncDate("created_at"),
        )
    )


def mentioned(since: datetime, until: datetime) -> QuerySet:
    """A mentioned B in a post and B was told (``members.Mention``: a published post B may
    read, once per post, within the rate limits)."""
    return (
        Mention.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .values(a=F("author_id"), b=F("member_id"), d=TruncDate("created_at"))
    )


# Votes are not interactions between two people here: the issue lists answering,
# commenting, mentioning, messaging and following.
SOURCES: list[Source] = [
    answered,
    commented_on_question,
    commented_on_answer,
    commented_on_idea,
    followed,
    messaged,
    mentioned,
]


def register_source(source: Source) -> None:
    """Add a kind of interaction from an app above analytics (its ``receivers.connect()``)."""
    if source not in SOURCES:
        SOURCES.append(source)


def periods_between(kind: str, first: date, last: date) -> list[tuple[date, date]]:
    """The weeks (Monday first) or calendar months that overlap ``first``..``last``, as
    ``(start, start of the next)``."""
    found = []
    if kind == "week":
        start = first - timedelta(days=first.weekday())
        while start <= last:
            found.append((start, start + timedelta(days=7)))
            start += timedelta(days=7)
    else:
        start = first.replace(day=1)
        while start <= last:
            following = (start + timedelta(days=32)).replace(day=1)
            found.append((start, following))
            start = following
    return found


def figures_per_period(
    periods: list[tuple[date, date]],
    *,
    since: datetime,
    until: datetime,
    min_links: int,
) -> dict[date, dict[str, int]]:
    """For each period ``(start, end)``: ``pairs`` (distinct unordered pairs of members with an
    interaction on a day in it), ``linked`` (members in at least one pair), ``active``
    (members with an activity day in it) and ``active_linked_n`` (of those, the ones in at
    least ``min_links`` pairs). ``since``/``until`` bound the events read (the first
    period's start and the last one's end, as aware datetimes). One query."""
    if not periods:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for i, source in enumerate(SOURCES):
        sql, qs_params = source(since, until).query.sql_with_params()
        parts.append(f"SELECT a, b, d FROM ({sql}) AS src{i}")  # noqa: S608
        params.extend(qs_params)
    first, last = periods[0][0], periods[-1][1] - timedelta(days=1)
    active_sql, active_params = (
        ActivityDay.objects.filter(day__gte=first, day__lte=last)
        .order_by()
        .values(m=F("member_id"), d=F("day"))
        .query.sql_with_params()
    )
    erased_sql, erased_params = (
        Member.objects.filter(deleted_at__isnull=False)
        .order_by()
        .values("pk")
        .query.sql_with_params()
    )
    values = ", ".join("(%s, %s, %s)" for _p in periods)
    period_params = [v for start, end in periods for v in (start, start, end)]
    sql = (
        f"WITH periods (p, s, e) AS (VALUES {values}), "  # noqa: S608
        f"erased AS ({erased_sql}), "
        f"ev AS ({' UNION ALL '.join(parts)}), "
        "pairs AS (SELECT DISTINCT periods.p AS p, "
        "CASE WHEN ev.a < ev.b THEN ev.a ELSE ev.b END AS lo, "
        "CASE WHEN ev.a < ev.b THEN ev.b ELSE ev.a END AS hi "
        "FROM ev JOIN periods ON ev.d >= periods.s AND ev.d < periods.e "
        "WHERE ev.a <> ev.b AND ev.a IS NOT NULL AND ev.b IS NOT NULL "
        "AND ev.a NOT IN (SELECT * FROM erased) AND ev.b NOT IN (SELECT * FROM erased)), "
        "links AS (SELECT p, m, COUNT(*) AS n FROM "
        "(SELECT p, lo AS m FROM pairs UNION ALL SELECT p, hi AS m FROM pairs) AS ends "
        "GROUP BY p, m), "
        "act AS (SELECT DISTINCT periods.p AS p, x.m AS m "
        f"FROM ({active_sql}) AS x JOIN periods ON x.d >= periods.s AND x.d < periods.e "
        "WHERE x.m NOT IN (SELECT * FROM erased)) "
        # Each figure grouped once by period, then joined: a subquery per period would scan
        # the whole of pairs, links and act again for every period (81 s for a year of weeks
        # on the benchmark's data, against a few seconds).
        "SELECT periods.p, COALESCE(pc.n, 0), COALESCE(lc.n, 0), COALESCE(ac.n, 0), "
        "COALESCE(nc.n, 0) FROM periods "
        "LEFT JOIN (SELECT p, COUNT(*) AS n FROM pairs GROUP BY p) AS pc ON pc.p = periods.p "
        "LEFT JOIN (SELECT p, COUNT(*) AS n FROM links GROUP BY p) AS lc ON lc.p = periods.p "
        "LEFT JOIN (SELECT p, COUNT(*) AS n FROM act GROUP BY p) AS ac ON ac.p = periods.p "
        "LEFT JOIN (SELECT act.p, COUNT(*) AS n FROM act JOIN links "
        "ON links.p = act.p AND links.m = act.m WHERE links.n >= %s GROUP BY act.p) AS nc "
        "ON nc.p = periods.p"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*period_params, *erased_params, *params, *active_params, min_links])
        rows = cursor.fetchall()
    figures: dict[date, dict[str, int]] = {}
    for p, pairs, linked, active, n in rows:
        start = as_date(p)
        if start is not None:
            figures[start] = {
                "pairs": pairs,
                "linked": linked,
                "active": active,
                "active_linked_n": n,
            }
    return figures
