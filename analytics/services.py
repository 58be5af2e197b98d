"""Writes of the analytics app: the rollup tables and the re-engagement letters."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, DateField, F, Min, Model, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.cache import touch
from forum.models import Answer, AnswerVote, Comment, Question, QuestionVote
from ideas.models import Idea, IdeaVote
from members.letters import letter_for
from members.models import ActivityDay, LetterTemplate, Member
from members.selectors import community_settings_get
from members.services import email_build, email_enqueue, wants_email

from .aggregates import as_date, distinct_members_in_windows, trailing_window_lookback
from .crosslinks import figures_per_period, periods_between
from .models import (
    CohortRetention,
    CrossLinkPeriod,
    DailyActiveCount,
    ReengagementLetter,
    RollupWatermark,
)
from .permissions import check_can_write_to_members_at_risk
from .sources import (
    at_risk_list,
    at_risk_with_tags,
    letter_values,
    members_at_risk,
    referred_member_ids,
)

logger = logging.getLogger(__name__)

DAILY = "daily_active"
COHORTS = "cohort_retention"
CROSSLINKS = "cross_links"
METRICS = (DAILY, COHORTS, CROSSLINKS)
COHORT_WEEKS = 12
CHUNK_DAYS = 31
COHORT_CHUNK_WEEKS = 13


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

DASHBOARD_SCOPE = "analytics"


def dashboard_cache_invalidate() -> None:
    """Every cached dashboard page is stale (``config.cache``: the ``analytics`` scope); a
    request that read the old rows meanwhile stored them under the old version."""
    touch(DASHBOARD_SCOPE)


def _invalidate_on_commit() -> None:
    transaction.on_commit(dashboard_cache_invalidate)


# --- daily active counts ------------------------------------------------------------------


def _daily_rows(start: date, end: date) -> list[DailyActiveCount]:
    signups = {
        d: (n, referred)
        for d, n, referred in Member.objects.filter(
            date_joined__gte=day_start(start), date_joined__lt=day_start(end + timedelta(days=1))
        )
        .annotate(d=TruncDate("date_joined"))
        .values_list("d")
        .annotate(n=Count("id"), referred=Count("id", filter=Q(pk__in=referred_member_ids())))
        .order_by()
    }
    total = Member.objects.filter(date_joined__lt=day_start(start)).count()
    content = _content_per_day(start, end)
    active = _active_per_day(start, end)
    rows = []
    day = start
    while day <= end:
        joined, referred = signups.get(day, (0, 0))
        total += joined
        rows.append(
            DailyActiveCount(
                day=day,
                signups=joined,
                referred_signups=referred,
                members_total=total,
                **active[day],
                **content.get(day, {}),
            )
        )
        day += timedelta(days=1)
    return rows


def _content_per_day(start: date, end: date) -> dict[date, dict[str, int]]:
    """Questions, answers and idea votes per day of ``start``..``end``: three grouped queries
    for the whole chunk."""
    since, until = day_start(start), day_start(end + timedelta(days=1))
    per_day: dict[date, dict[str, int]] = {}
    question_rows = (
        Question.objects.filter(
            created_at__gte=since,
            created_at__lt=until,
            moderation_state="published",
            deleted_at__isnull=True,
        )
        .annotate(d=TruncDate("created_at"))
        .values_list("d")
        .annotate(
            n=Count("id"),
            fast=Count(
                "id", filter=Q(first_answered_at__lte=F("created_at") + timedelta(hours=24))
            ),
        )
        .order_by()
    )
    for d, n, fast in question_rows:
        per_day.setdefault(d, {}).update(questions=n, answered_24h=fast)
    answer_rows = (
        Answer.objects.filter(
            created_at__gte=since,
            created_at__lt=until,
            moderation_state="published",
            deleted_at__isnull=True,
        )
        .annotate(d=TruncDate("created_at"))
        .values_list("d")
        .annotate(
            staff=Count("id", filter=Q(is_official=True)),
            community=Count("id", filter=Q(is_official=False)),
        )
        .order_by()
    )
    for d, staff, community in answer_rows:
        per_day.setdefault(d, {}).update(staff_answers=staff, community_answers=community)
    vote_rows = (
        IdeaVote.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(d=TruncDate("created_at"))
        .values_list("d")
        .annotate(n=Count("id"))
        .order_by()
    )
    for d, n in vote_rows:
        per_day.setdefault(d, {})["idea_votes"] = n
    return per_day


CREATED: list[tuple[type[Model], str]] = [(Question, "author"), (Idea, "author")]
CONTRIBUTED: list[tuple[type[Model], str]] = [
    (Answer, "author"),
    (Comment, "author"),
    (QuestionVote, "member"),
    (AnswerVote, "member"),
    (IdeaVote, "member"),
]
# Kinds of member events, and the unions of them whose 30-day distinct members give the split.
ACTIVE, CREATOR, CONTRIBUTOR = 0, 1, 2
UNIONS = {
    "a": (ACTIVE,),
    "c": (CREATOR,),
    "ac": (ACTIVE, CREATOR),
    "kc": (CONTRIBUTOR, CREATOR),
    "akc": (ACTIVE, CONTRIBUTOR, CREATOR),
}
WINDOWS = {"a": (1, 7, 30), "c": (30,), "ac": (30,), "kc": (30,), "akc": (30,)}


def _active_per_day(start: date, end: date) -> dict[date, dict[str, int]]:
    """For each day of ``start``..``end``: members active that day (DAU), in the 7 and 30
    days ending on it (WAU, MAU), and of the 30-day actives the creators (asked a question or
    proposed an idea in those days) and contributors (answered, commented or voted, but
    created nothing). One query for the whole range (``distinct_members_in_windows``).

    With ``N(x)`` the members with an event of kinds ``x`` in the 30 days (a: active,
    c: created, k: contributed), inclusion–exclusion gives the creators ``|a ∩ c| = N(a) +
    N(c) - N(a ∪ c)`` and the contributors ``|a ∩ k| - |a ∩ k ∩ c| = N(a ∪ c) + N(k ∪ c) -
    N(c) - N(a ∪ k ∪ c)``.
    """
    lookback = trailing_window_lookback(start, 30)
    since, until = day_start(lookback), day_start(end + timedelta(days=1))
    sources: list[tuple[int, QuerySet]] = [
        (
            ACTIVE,
            ActivityDay.objects.filter(day__gte=lookback, day__lte=end).values(
                m=F("member_id"), d=F("day")
            ),
        )
    ]
    for kind, models in ((CREATOR, CREATED), (CONTRIBUTOR, CONTRIBUTED)):
        for model, field in models:
            sources.append(
                (
                    kind,
                    model._default_manager.filter(
                        created_at__gte=since, created_at__lt=until
                    ).values(m=F(f"{field}_id"), d=TruncDate("created_at")),
                )
            )
    n = distinct_members_in_windows(sources, UNIONS, WINDOWS, start=start, end=end)
    per_day = {}
    day = start
    while day <= end:
        a, c, ac = n["a", 30][day], n["c", 30][day], n["ac", 30][day]
        kc, akc = n["kc", 30][day], n["akc", 30][day]
        per_day[day] = {
            "dau": n["a", 1][day],
            "wau": n["a", 7][day],
            "mau": a,
            "creators": a + c - ac,
            "contributors": ac + kc - c - akc,
        }
        day += timedelta(days=1)
    return per_day


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


def _cohort_rows(first: date, last: date, until: date) -> list[CohortRetention]:
    """The cells of the cohorts ``first``..``last`` (Mondays): weeks that ended by ``until``,
    per segment. Two grouped queries for all the cohorts: sizes, and distinct active members
    per (cohort, week of activity); referred and organic add up to all."""
    joined = Member.objects.filter(
        date_joined__gte=day_start(first), date_joined__lt=day_start(last + timedelta(days=7))
    )
    referred = referred_member_ids()
    segments = [
        CohortRetention.Segment.ALL,
        CohortRetention.Segment.REFERRED,
        CohortRetention.Segment.ORGANIC,
    ]

    def segment_of(member: str) -> Case:
        return Case(
            When(
                Q(**{f"{member}__in": referred}), then=Value(CohortRetention.Segment.REFERRED.value)
            ),
            default=Value(CohortRetention.Segment.ORGANIC.value),
        )

    sizes: dict[tuple[date, str], int] = {}
    for cohort, segment, n in (
        joined.annotate(
            cohort=TruncWeek("date_joined", output_field=DateField()), segment=segment_of("pk")
        )
        .values_list("cohort", "segment")
        .annotate(n=Count("id"))
        .order_by()
    ):
        sizes[as_date(cohort), segment] = n
    active: dict[tuple[date, str, date], int] = {}
    horizon = min(until, last + timedelta(weeks=COHORT_WEEKS, days=-1))
    for cohort, segment, week, n in (
        ActivityDay.objects.filter(
            member__date_joined__gte=day_start(first),
            member__date_joined__lt=day_start(last + timedelta(days=7)),
            day__gte=first,
            day__lte=horizon,
        )
        .annotate(
            cohort=TruncWeek("member__date_joined", output_field=DateField()),
            segment=segment_of("member_id"),
            week=TruncWeek("day"),
        )
        .values_list("cohort", "segment", "week")
        .annotate(n=Count("member", distinct=True))
        .order_by()
    ):
        active[as_date(cohort), segment, as_date(week)] = n

    def cell(counts: dict, cohort: date, segment: str, *week: date) -> int:
        if segment == CohortRetention.Segment.ALL and referred is not None:
            return sum(counts.get((cohort, s, *week), 0) for s in segments[1:])
        return counts.get((cohort, segment, *week), 0)

    rows: list[CohortRetention] = []
    cohort = first
    while cohort <= last:
        weeks = [k for k in range(COHORT_WEEKS) if cohort + timedelta(days=7 * k + 6) <= until]
        for segment in segments:
            size = cell(sizes, cohort, segment)
            rows.extend(
                CohortRetention(
                    cohort_week=cohort,
                    segment=segment,
                    week=k,
                    cohort_size=size,
                    active=cell(active, cohort, segment, cohort + timedelta(weeks=k)),
                )
                for k in weeks
            )
        cohort += timedelta(weeks=1)
    return rows


def cohort_retention_rebuild(*, since: date, until: date) -> int:
    """Recompute every cohort whose 12-week window overlaps ``since``..``until``, a chunk of
    cohorts per transaction."""
    first = week_start(since) - timedelta(weeks=COHORT_WEEKS - 1)
    last = week_start(until)
    done = 0
    start = first
    while start <= last:
        end = min(last, start + timedelta(weeks=COHORT_CHUNK_WEEKS - 1))
        rows = _cohort_rows(start, end, until)
        with transaction.atomic():
            CohortRetention.objects.filter(cohort_week__gte=start, cohort_week__lte=end).delete()
            CohortRetention.objects.bulk_create(rows)
            _watermark_advance(COHORTS, min(until, end + timedelta(days=6)))
            _invalidate_on_commit()
        done += len(rows)
        start = end + timedelta(weeks=1)
    return done


# --- cross-links (connections between members) --------------------------------------------


def crosslinks_rebuild(*, since: date, until: date) -> int:
    """Recompute the weeks and months that overlap ``since``..``until`` (whole periods, each
    counted through ``until``), one query per kind of period (``crosslinks.py``), one
    transaction."""
    min_links = settings.VECHE_CROSSLINKS_MIN_LINKS
    rows: list[CrossLinkPeriod] = []
    for kind in CrossLinkPeriod.Kind:
        periods = periods_between(kind.value, since, until)
        figures = figures_per_period(
            periods,
            since=day_start(periods[0][0]),
            until=day_start(min(periods[-1][1], until + timedelta(days=1))),
            min_links=min_links,
        )
        rows.extend(
            CrossLinkPeriod(kind=kind.value, start=start, min_links=min_links, **figures[start])
            for start, _end in periods
        )
    with transaction.atomic():
        for kind in CrossLinkPeriod.Kind:
            starts = [row.start for row in rows if row.kind == kind.value]
            CrossLinkPeriod.objects.filter(kind=kind.value, start__in=starts).delete()
        CrossLinkPeriod.objects.bulk_create(rows)
        _watermark_advance(CROSSLINKS, until)
        _invalidate_on_commit()
    return len(rows)


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
    for metric, rebuild in (
        (DAILY, daily_active_rebuild),
        (COHORTS, cohort_retention_rebuild),
        (CROSSLINKS, crosslinks_rebuild),
    ):
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
        CROSSLINKS: crosslinks_rebuild(since=since, until=until),
    }


# --- re-engagement ------------------------------------------------------------------------


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
        # a manager wrote to them lately: the automatic letter would only repeat it
        candidates = candidates.exclude(
            pk__in=ReengagementLetter.objects.filter(
                sender__isnull=False, sent_on__gt=today - timedelta(days=COMEBACK_DAYS)
            ).values("member_id")
        )
        ReengagementLetter.objects.bulk_create(
            [
                ReengagementLetter(
                    member_id=pk,
                    period=period,
                    sent_on=today,
                    back_by=today + timedelta(days=COMEBACK_DAYS),
                    last_seen_before=seen,
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
                    member=member,
                    kind=REENGAGEMENT_KIND,
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


# --- personal outreach ----------------------------------------------------------------------

# A member a manager wrote to less than this many days ago is not written to again (a second
# click on "Send", two managers at once): the letter would only repeat the last one.
OUTREACH_GAP_DAYS = 7


@dataclass(frozen=True)
class OutreachResult:
    sent: int
    opted_out: int
    written_lately: int


def outreach_send(
    *,
    actor: Member,
    member_ids: Iterable[int],
    template: LetterTemplate,
    today: date | None = None,
) -> OutreachResult:
    """Write to each of ``member_ids`` still at risk from ``template``, in their language,
    as ``actor`` (their name in From, replies to their address), through the outbox; each
    letter is recorded (who wrote, when, from which template) for the figure of who came
    back. Members who turned these letters off, or were written to in the last
    ``OUTREACH_GAP_DAYS`` days, are skipped. Rows of the members are locked while the
    letters are recorded, so two managers sending at once do not both write."""
    check_can_write_to_members_at_risk(actor)
    today = today or timezone.localdate()
    community = community_settings_get().community_name
    with transaction.atomic():
        ids = list(
            members_at_risk(today)
            .filter(pk__in=list(member_ids))
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        lately = set(
            ReengagementLetter.objects.filter(
                member_id__in=ids, sent_on__gt=today - timedelta(days=OUTREACH_GAP_DAYS)
            ).values_list("member_id", flat=True)
        )
        members = at_risk_with_tags(
            at_risk_list(today).filter(pk__in=[pk for pk in ids if pk not in lately])
        )
        letters, emails, opted_out = [], [], 0
        for member in members:
            if not wants_email(member, REENGAGEMENT_KIND):
                opted_out += 1
                continue
            language = member.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                values = letter_values(member, manager=actor.name, community=community)
                letter = letter_for(template, language, values)
            emails.append(
                email_build(
                    member=member,
                    kind=REENGAGEMENT_KIND,
                    subject=letter.subject,
                    template="email/personal_letter.txt",
                    context={"letter": letter.body},
                    sender=actor,
                )
            )
            letters.append(
                ReengagementLetter(
                    member=member,
                    sender=actor,
                    template=template,
                    sent_on=today,
                    back_by=today + timedelta(days=COMEBACK_DAYS),
                    last_seen_before=member.last_seen,
                )
            )
        for letter_row, email in zip(letters, email_enqueue(emails), strict=True):
            letter_row.email = email
        ReengagementLetter.objects.bulk_create(letters)
        if letters:
            _invalidate_on_commit()
    logger.info("outreach by %s: %s letters", actor.pk, len(letters))
    return OutreachResult(sent=len(letters), opted_out=opted_out, written_lately=len(lately))
