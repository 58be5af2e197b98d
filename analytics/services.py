"""Writes of the analytics app: the rollup tables and the re-engagement letters."""

import logging
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ActivityDay, Member
from members.services import email_build, email_enqueue, wants_email

from .models import CohortRetention, DailyActiveCount, ReengagementLetter, RollupWatermark
from .sources import get_model, referred_member_ids

logger = logging.getLogger(__name__)

DAILY = "daily_active"
COHORTS = "cohort_retention"
METRICS = (DAILY, COHORTS)
COHORT_WEEKS = 12
CHUNK_DAYS = 31


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _history_start() -> date | None:
    first_join = Member.objects.aggregate(v=Min("date_joined"))["v"]
    first_activity = ActivityDay.objects.aggregate(v=Min("day"))["v"]
    days = [d for d in (first_join and timezone.localtime(first_join).date(), first_activity) if d]
    return min(days) if days else None


# --- the dashboard's cache ----------------------------------------------------------------

DASHBOARD_GENERATION_KEY = "analytics:dashboard:generation"


def dashboard_generation() -> str:
    """The token stored with every entry of the dashboard's cache (the rendered picker and
    panels); an entry with another token is stale. A new token when the cache has lost it,
    so entries written before can never be served again."""
    token = cache.get(DASHBOARD_GENERATION_KEY)
    if token is None:
        cache.add(DASHBOARD_GENERATION_KEY, uuid4().hex, None)  # unless a request just did
        token = cache.get(DASHBOARD_GENERATION_KEY) or uuid4().hex
    return token


def dashboard_cache_invalidate() -> None:
    """Drop every cached dashboard page at once (a new generation token). Call it
    through ``transaction.on_commit`` after writing rows the dashboard shows: a request that
    still read the old rows must not store them under the new token."""
    cache.set(DASHBOARD_GENERATION_KEY, uuid4().hex, None)


def _invalidate_on_commit() -> None:
    transaction.on_commit(dashboard_cache_invalidate)


# --- daily active counts ------------------------------------------------------------------


def _daily_rows(start: date, end: date) -> list[DailyActiveCount]:
    signups = dict(
        Member.objects.filter(date_joined__gte=day_start(start),
                              date_joined__lt=day_start(end + timedelta(days=1)))
        .annotate(d=TruncDate("date_joined"))
        .values_list("d")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = Member.objects.filter(date_joined__lt=day_start(start)).count()
    content = _content_per_day(start, end)
    rows = []
    day = start
    while day <= end:
        counts = ActivityDay.objects.filter(
            day__gte=day - timedelta(days=29), day__lte=day
        ).aggregate(
            mau=Count("member", distinct=True),
            wau=Count("member", distinct=True, filter=Q(day__gte=day - timedelta(days=6))),
            dau=Count("member", filter=Q(day=day)),
        )
        joined = signups.get(day, 0)
        total += joined
        rows.append(DailyActiveCount(day=day, signups=joined, members_total=total,
                                     **counts, **participation_split(day),
                                     **content.get(day, {})))
        day += timedelta(days=1)
    return rows


def _content_per_day(start: date, end: date) -> dict[date, dict[str, int]]:
    """Questions, answers and idea votes per day of ``start``..``end``: three grouped queries
    for the whole chunk (each skipped when its app is missing)."""
    since, until = day_start(start), day_start(end + timedelta(days=1))
    per_day: dict[date, dict[str, int]] = {}
    Question = get_model("forum.Question")
    Answer = get_model("forum.Answer")
    IdeaVote = get_model("forum.IdeaVote")
    if Question is not None:
        rows = (
            Question.objects.filter(created_at__gte=since, created_at__lt=until,
                                    moderation_state="published", deleted_at__isnull=True)
            .annotate(d=TruncDate("created_at")).values_list("d")
            .annotate(n=Count("id"), fast=Count("id", filter=Q(
                first_answered_at__lte=F("created_at") + timedelta(hours=24))))
            .order_by()
        )
        for d, n, fast in rows:
            per_day.setdefault(d, {}).update(questions=n, answered_24h=fast)
    if Answer is not None:
        rows = (
            Answer.objects.filter(created_at__gte=since, created_at__lt=until,
                                  moderation_state="published", deleted_at__isnull=True)
            .annotate(d=TruncDate("created_at")).values_list("d")
            .annotate(staff=Count("id", filter=Q(is_official=True)),
                      community=Count("id", filter=Q(is_official=False)))
            .order_by()
        )
        for d, staff, community in rows:
            per_day.setdefault(d, {}).update(staff_answers=staff, community_answers=community)
    if IdeaVote is not None:
        rows = (
            IdeaVote.objects.filter(created_at__gte=since, created_at__lt=until)
            .annotate(d=TruncDate("created_at")).values_list("d").annotate(n=Count("id"))
            .order_by()
        )
        for d, n in rows:
            per_day.setdefault(d, {})["idea_votes"] = n
    return per_day


CREATED = [("forum.Question", "author"), ("forum.Idea", "author")]
CONTRIBUTED = [("forum.Answer", "author"), ("forum.Comment", "author"),
               ("forum.QuestionVote", "member"), ("forum.AnswerVote", "member"),
               ("forum.IdeaVote", "member")]


def participation_split(end: date) -> dict[str, int]:
    """Of the members active in the 30 days ending ``end`` (MAU): creators (asked a question
    or proposed an idea in those days) and contributors (answered, commented or voted, but
    created nothing). One query; zeros when no content app is installed."""
    since = day_start(end - timedelta(days=29))
    until = day_start(end + timedelta(days=1))

    def who(sources) -> Q | None:
        parts = []
        for label, field in sources:
            model = get_model(label)
            if model is not None:
                rows = model.objects.filter(created_at__gte=since, created_at__lt=until)
                parts.append(Q(pk__in=rows.values(f"{field}_id")))
        return reduce(or_, parts) if parts else None

    created, contributed = who(CREATED), who(CONTRIBUTED)
    if created is None and contributed is None:
        return {"creators": 0, "contributors": 0}
    created = created or Q(pk__in=[])
    contributed = contributed or Q(pk__in=[])
    active = ActivityDay.objects.filter(day__gte=end - timedelta(days=29), day__lte=end)
    return Member.objects.filter(pk__in=active.values("member_id")).aggregate(
        creators=Count("id", filter=created),
        contributors=Count("id", filter=contributed & ~created),
    )


def daily_active_rebuild(*, since: date, until: date) -> int:
    """Recompute the daily rows for ``since``..``until`` (inclusive), a chunk per transaction."""
    done = 0
    start = since
    while start <= until:
        end = min(until, start + timedelta(days=CHUNK_DAYS - 1))
        rows = _daily_rows(start, end)
        with transaction.atomic():
            DailyActiveCount.objects.filter(day__gte=start, day__lte=end).delete()
            DailyActiveCount.objects.bulk_create(rows)
            _watermark_advance(DAILY, end)
            _invalidate_on_commit()
        done += len(rows)
        start = end + timedelta(days=1)
    return done


# --- weekly cohorts -----------------------------------------------------------------------


def _cohort_rows(cohort: date, until: date) -> list[CohortRetention]:
    members = Member.objects.filter(
        date_joined__gte=day_start(cohort), date_joined__lt=day_start(cohort + timedelta(days=7))
    )
    segments = {CohortRetention.Segment.ALL: members}
    referred = referred_member_ids()
    if referred is not None:
        segments[CohortRetention.Segment.REFERRED] = members.filter(pk__in=referred)
        segments[CohortRetention.Segment.ORGANIC] = members.exclude(pk__in=referred)
    weeks = [
        k for k in range(COHORT_WEEKS) if cohort + timedelta(days=7 * k + 6) <= until
    ]
    rows = []
    for segment, qs in segments.items():
        counts = qs.aggregate(
            size=Count("id", distinct=True),
            **{
                f"w{k}": Count(
                    "id",
                    distinct=True,
                    filter=Q(
                        activity_days__day__gte=cohort + timedelta(days=7 * k),
                        activity_days__day__lte=cohort + timedelta(days=7 * k + 6),
                    ),
                )
                for k in weeks
            },
        )
        rows.extend(
            CohortRetention(cohort_week=cohort, segment=segment, week=k,
                            cohort_size=counts["size"], active=counts[f"w{k}"])
            for k in weeks
        )
    return rows


def cohort_retention_rebuild(*, since: date, until: date) -> int:
    """Recompute every cohort whose 12-week window overlaps ``since``..``until``."""
    first = week_start(since) - timedelta(weeks=COHORT_WEEKS - 1)
    last = week_start(until)
    done = 0
    cohort = first
    while cohort <= last:
        rows = _cohort_rows(cohort, until)
        with transaction.atomic():
            CohortRetention.objects.filter(cohort_week=cohort).delete()
            CohortRetention.objects.bulk_create(rows)
            _watermark_advance(COHORTS, min(until, cohort + timedelta(days=6)))
            _invalidate_on_commit()
        done += len(rows)
        cohort += timedelta(weeks=1)
    return done


# --- the nightly job ----------------------------------------------------------------------


def _watermark_advance(metric: str, day: date) -> None:
    """Move the metric's watermark forward (never back: a rebuild of an old range keeps it)."""
    mark, created = RollupWatermark.objects.select_for_update().get_or_create(
        metric=metric, defaults={"computed_through": day}
    )
    if not created and day > mark.computed_through:
        mark.computed_through = day
        mark.updated_at = timezone.now()
        mark.save(update_fields=["computed_through", "updated_at"])


def rollups_update(*, today: date | None = None) -> dict[str, int]:
    """Bring every rollup up to ``today``, resuming each metric from its watermark. Running it
    twice gives the same rows; a run cut short resumes where the last committed chunk ended."""
    today = today or timezone.localdate()
    marks = dict(RollupWatermark.objects.values_list("metric", "computed_through"))
    history = None
    result = {}
    for metric, rebuild in ((DAILY, daily_active_rebuild), (COHORTS, cohort_retention_rebuild)):
        since = marks.get(metric)
        if since is not None:
            # the day before the watermark too: activity written around midnight lands late
            since -= timedelta(days=1)
        else:
            history = history or _history_start()
            if history is None:
                result[metric] = 0
                continue
            since = history
        result[metric] = rebuild(since=min(since, today), until=today)
    return result


def rollups_rebuild(*, since: date, until: date) -> dict[str, int]:
    if since > until:
        raise ValueError(_("The start date must not be after the end date."))
    return {
        DAILY: daily_active_rebuild(since=since, until=until),
        COHORTS: cohort_retention_rebuild(since=since, until=until),
    }


# --- re-engagement ------------------------------------------------------------------------


def at_risk_cutoff(today: date) -> date:
    """Members last seen before this day are at risk."""
    return today - timedelta(days=settings.VECHE_AT_RISK_DAYS)


def members_at_risk(today: date):
    """Previously active members (they have a last-seen day) silent for the at-risk period."""
    return Member.objects.filter(
        is_active=True, is_staff=False, banned_at__isnull=True,
        last_seen__isnull=False, last_seen__lt=at_risk_cutoff(today),
    )


REENGAGEMENT_KIND = "welcome"  # "Welcome and re-engagement letters" in the preferences
COMEBACK_DAYS = 14


def reengagement_send(*, today: date | None = None) -> int:
    """Write once per period (calendar month) to every member at risk. Letters are reserved
    with a unique (member, period) row first, so two runs — even concurrent ones — never
    write to anyone twice. Returns the number of e-mails queued."""
    today = today or timezone.localdate()
    period = today.replace(day=1)
    with transaction.atomic():
        candidates = members_at_risk(today).exclude(
            pk__in=ReengagementLetter.objects.filter(period=period).values("member_id")
        )
        ReengagementLetter.objects.bulk_create(
            [
                ReengagementLetter(
                    member_id=pk, period=period, sent_on=today,
                    back_by=today + timedelta(days=COMEBACK_DAYS), last_seen_before=seen,
                )
                for pk, seen in candidates.values_list("id", "last_seen")
            ],
            ignore_conflicts=True,
        )
        letters = list(
            ReengagementLetter.objects.select_for_update()
            .filter(period=period, sent_on=today, email__isnull=True)
            .select_related("member")
        )
        emails, written = [], []
        for letter in letters:
            member = letter.member
            if not wants_email(member, REENGAGEMENT_KIND):
                continue
            emails.append(
                email_build(
                    member=member, kind=REENGAGEMENT_KIND,
                    subject=_("We miss you in the community"),
                    template="email/analytics_reengagement.txt",
                    context={"last_seen": member.last_seen},
                )
            )
            written.append(letter)
        created = email_enqueue(emails)
        for letter, email in zip(written, created, strict=True):
            letter.email = email
        ReengagementLetter.objects.bulk_update(written, ["email"])
        if written:
            _invalidate_on_commit()  # the at-risk panel counts the letters
        # Letters of members who opted out stay as a record that they were considered.
    logger.info("re-engagement: %s letters for %s", len(written), period)
    return len(written)
