"""The summary e-mail: members who stay away get, once per period (a day or a week, their
setting; weekly by default), the best new posts in what they watch and know, while they stay
away. Links carry ``?from=summary&s=<signed id>``: the first visit through one records that
the summary was opened (``summary_opened``); staff's figures (``summary_figures``) count
sent, opened, and came back (a visit within ``VECHE_SUMMARY_RETURN_DAYS``)."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.site import absolute_url

# A module, not its names: services imports the outbox, whose tasks import this module.
from . import services
from .models import ActivityDay, Member, SummaryEmail, SummaryFrequency
from .summary import SUMMARY_KIND, SUMMARY_SOURCES, SummaryItem

logger = logging.getLogger(__name__)

SIGNER_SALT = "veche.summary"
PERIOD_DAYS: dict[str, int] = {SummaryFrequency.DAILY: 1, SummaryFrequency.WEEKLY: 7}
PER_SOURCE = 5  # posts of each kind in one e-mail
BATCH = 500  # members looked at per run and frequency; the next run takes the rest


def summary_period(frequency: str, today: date) -> date:
    """The first day of the period ``today`` is in: the day itself, or the week's Monday."""
    if frequency == SummaryFrequency.DAILY:
        return today
    return today - timedelta(days=today.weekday())


def summary_link(url: str, summary: SummaryEmail) -> str:
    """The post's absolute address with the parameter that tells a visit came from it."""
    token = signing.Signer(salt=SIGNER_SALT).sign(str(summary.pk))
    address, hash_mark, fragment = url.partition("#")
    separator = "&" if "?" in address else "?"
    query = urlencode({"from": "summary", "s": token})
    return absolute_url(f"{address}{separator}{query}{hash_mark}{fragment}")


def absent_members(frequency: str, today: date) -> list[Member]:
    """Members of ``frequency`` away for a whole period (no visit in it nor today) who were
    not sent this period's summary yet, and who can receive e-mail."""
    away_since = today - timedelta(days=PERIOD_DAYS[frequency])
    joined_before = timezone.make_aware(datetime.combine(away_since, datetime.min.time()))
    period = summary_period(frequency, today)
    members = (
        Member.objects.filter(
            summary_frequency=frequency,
            is_active=True,
            banned_at__isnull=True,
            deleted_at__isnull=True,
        )
        .exclude(email="")
        .filter(
            Q(last_seen__lt=away_since) | Q(last_seen__isnull=True, date_joined__lt=joined_before)
        )
        .exclude(
            Exists(
                SummaryEmail.objects.filter(
                    member=OuterRef("pk"), frequency=frequency, period=period
                )
            )
        )
        .order_by("pk")
    )
    return list(members[:BATCH])


def summary_items(member: Member, since: datetime) -> list[SummaryItem]:
    return [item for source in SUMMARY_SOURCES for item in source(member, since, PER_SOURCE)]


def summary_send(*, now: datetime | None = None) -> int:
    """Send this period's summary to every absent member with something to read in it.
    Safe to run twice (and side by side): a period's row is claimed by a unique constraint
    before its e-mail is written, in the same transaction. Returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for frequency in (SummaryFrequency.DAILY, SummaryFrequency.WEEKLY):
        since = now - timedelta(days=PERIOD_DAYS[frequency])
        for member in absent_members(frequency, today):
            if services.wants_email(member, SUMMARY_KIND) and _send_one(
                member, frequency, today, since, now
            ):
                sent += 1
    return sent


def _send_one(member: Member, frequency: str, today: date, since: datetime, now: datetime) -> bool:
    items = summary_items(member, since)
    if not items:
        return False  # nothing new for them: no e-mail, and no period used up
    try:
        with transaction.atomic():
            summary = SummaryEmail.objects.create(
                member=member,
                frequency=frequency,
                period=summary_period(frequency, today),
                sent_at=now,
                items=len(items),
            )
            shown = [{**item, "url": summary_link(item["url"], summary)} for item in items]
            email = services.email_build(
                member=member,
                kind=SUMMARY_KIND,
                subject=_("What you missed in the community"),
                template="members/email/summary.txt",
                context={
                    "questions": [i for i in shown if i["kind"] == "question"],
                    "answers": [i for i in shown if i["kind"] == "answer"],
                    "ideas": [i for i in shown if i["kind"] == "idea"],
                    "frequency": frequency,
                    "home_url": summary_link("/", summary),
                },
            )
            services.email_enqueue([email])
    except IntegrityError:  # another run claimed this period meanwhile
        return False
    return True


@dataclass(frozen=True)
class OpenedFrom:
    summary_id: int


def summary_opened_from(params: dict[str, str]) -> OpenedFrom | None:
    """The summary a request's parameters name (a valid signature), else None."""
    if params.get("from") != "summary" or not params.get("s"):
        return None
    try:
        return OpenedFrom(int(signing.Signer(salt=SIGNER_SALT).unsign(params["s"])))
    except (signing.BadSignature, ValueError):
        return None


def summary_opened(*, summary_id: int, now: datetime | None = None) -> bool:
    """Record the first visit through a summary's link (later ones change nothing). Returns
    whether this was the first."""
    return bool(
        SummaryEmail.objects.filter(pk=summary_id, opened_at__isnull=True).update(
            opened_at=now or timezone.now()
        )
    )


@dataclass(frozen=True)
class SummaryWeek:
    week: date  # its Monday
    sent: int
    opened: int
    came_back: int


def summary_figures(*, weeks: int = 12, today: date | None = None) -> list[SummaryWeek]:
    """Per week of sending, newest first: summaries sent, opened the site from one, and
    came back (any visit from the day it was sent to ``VECHE_SUMMARY_RETURN_DAYS`` after).
    Two queries."""
    today = today or timezone.localdate()
    start = summary_period(SummaryFrequency.WEEKLY, today) - timedelta(weeks=weeks - 1)
    return_days = settings.VECHE_SUMMARY_RETURN_DAYS
    rows = list(
        SummaryEmail.objects.filter(sent_at__date__gte=start).values_list(
            "member_id", "sent_at", "opened_at"
        )
    )
    days: dict[int, list[date]] = {}
    for member_id, day in ActivityDay.objects.filter(
        member_id__in={row[0] for row in rows}, day__gte=start
    ).values_list("member_id", "day"):
        days.setdefault(member_id, []).append(day)
    by_week: dict[date, list[int]] = {}
    for member_id, sent_at, opened_at in rows:
        sent_day = timezone.localdate(sent_at)
        counts = by_week.setdefault(summary_period(SummaryFrequency.WEEKLY, sent_day), [0, 0, 0])
        counts[0] += 1
        counts[1] += opened_at is not None
        last = sent_day + timedelta(days=return_days)
        counts[2] += any(sent_day <= day <= last for day in days.get(member_id, []))
    return [
        SummaryWeek(week, *by_week.get(week, [0, 0, 0]))
        for week in (start + timedelta(weeks=n) for n in reversed(range(weeks)))
    ]
