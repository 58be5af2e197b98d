"""Demo analytics: the rollups for the whole seeded history, and re-engagement letters sent on
the 2nd of each of the last months to the members who were at risk then (runs last)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from config.seeding import SeedContext, chunks
from members.models import ActivityDay, Member, OutboundEmail
from members.services import email_build

from . import services
from .models import DailyActiveCount, ReengagementLetter

LETTER_MONTHS = 4
MAX_LETTERS_PER_MONTH = 300


def seed(ctx: SeedContext) -> None:
    if DailyActiveCount.objects.exists():
        ctx.log("  analytics already seeded, skipping")
        return
    today = timezone.localdate(ctx.now)
    _seed_letters(ctx, today)
    since = timezone.localdate(ctx.history_start)
    if connection.vendor == "postgresql":
        # The rows were just bulk inserted: without fresh statistics the planner takes the
        # big tables for empty ones and the rollups' queries run for many minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = services.rollups_rebuild(since=since, until=today)
    ctx.log(
        f"  rollups {since}..{today}: {counts[services.DAILY]} days, "
        f"{counts[services.COHORTS]} cohort cells"
    )


def _seed_letters(ctx: SeedContext, today: date) -> None:
    """One query per month finds who was at risk on the send day (last activity before it
    more than the at-risk period earlier); their letters and e-mails are bulk inserted."""
    first_of_month = today.replace(day=1)
    months = []
    for _ in range(LETTER_MONTHS):
        first_of_month = (first_of_month - timedelta(days=1)).replace(day=1)
        months.append(first_of_month)
    total = back = 0
    for period in reversed(months):
        sent_on = period + timedelta(days=1)
        if sent_on < timezone.localdate(ctx.history_start):
            continue
        cutoff = sent_on - timedelta(days=settings.VECHE_AT_RISK_DAYS)
        at_risk = list(
            Member.objects.filter(
                is_active=True,
                is_staff=False,
                banned_at__isnull=True,
                date_joined__date__lt=sent_on,
            )
            .annotate(seen=Max("activity_days__day", filter=Q(activity_days__day__lt=sent_on)))
            .filter(seen__lt=cutoff)
            .order_by("id")[:MAX_LETTERS_PER_MONTH]
        )
        sent_at = timezone.make_aware(datetime.combine(sent_on, datetime.min.time())) + timedelta(
            hours=10
        )
        emails = []
        for member in at_risk:
            email = email_build(
                member=member,
                kind=services.REENGAGEMENT_KIND,
                subject="We miss you in the community",
                template="email/analytics_reengagement.txt",
                context={},
            )
            email.created_at = email.claimed_at = email.sent_at = sent_at
            email.attempts = 1
            emails.append(email)
        for batch in chunks(emails, ctx.batch_size):
            OutboundEmail.objects.bulk_create(batch)
        ReengagementLetter.objects.bulk_create(
            [
                ReengagementLetter(
                    member=member,
                    period=period,
                    sent_on=sent_on,
                    back_by=sent_on + timedelta(days=services.COMEBACK_DAYS),
                    last_seen_before=member.seen,
                    email=email,
                )
                for member, email in zip(at_risk, emails, strict=True)
            ],
            batch_size=ctx.batch_size,
            ignore_conflicts=True,
        )
        total += len(at_risk)
        back += _seed_comebacks(ctx, [m.pk for m in at_risk], sent_on, today)
    ctx.log(
        f"  {total} re-engagement letters over {LETTER_MONTHS} months, {back} members came back"
    )


COMEBACK_SHARE = 0.2


def _seed_comebacks(ctx: SeedContext, member_ids: list[int], sent_on: date, today: date) -> int:
    """Some members a letter reached come back within the fortnight the dashboard counts,
    for a few days (before the next month's letters pick whom to write to)."""
    rng = ctx.rng
    last = min(today, sent_on + timedelta(days=services.COMEBACK_DAYS))
    if last <= sent_on:
        return 0
    back = [pk for pk in member_ids if rng.random() < COMEBACK_SHARE]
    rows: list[ActivityDay] = []
    seen: dict[int, date] = {}
    for pk in back:
        first = sent_on + timedelta(days=rng.randint(1, (last - sent_on).days))
        days = {first} | {
            first + timedelta(days=rng.randint(1, 20)) for _ in range(rng.randint(0, 3))
        }
        days = {d for d in days if d <= today}
        rows += [ActivityDay(member_id=pk, day=d) for d in days]
        seen[pk] = max(days)
    ActivityDay.objects.bulk_create(rows, batch_size=ctx.batch_size, ignore_conflicts=True)
    for pk, day in seen.items():
        Member.objects.filter(pk=pk, last_seen__lt=day).update(last_seen=day)
    return len(back)
