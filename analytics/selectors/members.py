"""Panels built on members and their activity days: growth, activity, retention, at risk."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from analytics.charts import Chart, Series
from analytics.forms import DateRange
from analytics.models import CohortRetention, DailyActiveCount, ReengagementLetter
from analytics.services import COHORT_WEEKS, members_at_risk, week_start
from analytics.sources import referred_member_ids
from members.models import ActivityDay, Member

from .base import Figure, Panel, Table, pct, register_panel, share


def _short(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@register_panel("growth", ["signups"])
def growth_panel(r: DateRange) -> Panel:
    # 1: sign-ups per day (≤ 90 days) or per week; 2: totals; 3: referred sign-ups (if any)
    rollup = DailyActiveCount.objects.filter(day__gte=r.start, day__lte=r.end)
    weekly = r.days > 90
    if weekly:
        series = list(
            rollup.annotate(p=TruncWeek("day"))
            .values_list("p")
            .annotate(n=Sum("signups"))
            .order_by("p")
        )
    else:
        series = list(rollup.values_list("day", "signups").order_by("day"))
    totals = rollup.aggregate(
        signups=Sum("signups"),
        members=Sum("members_total", filter=Q(day=r.end)),
    )
    signups = totals["signups"] or 0
    came_by_referral = Member.objects.filter(
        date_joined__date__gte=r.start,
        date_joined__date__lte=r.end,
        pk__in=referred_member_ids(),
    ).count()
    figures = [
        Figure(_("Sign-ups in the period"), signups),
        Figure(_("Members at the end of the period"), totals["members"] or 0),
        Figure(_("Share of sign-ups by referral"), pct(share(came_by_referral, signups))),
    ]
    period = _("Week starting") if weekly else _("Day")
    labels = [_short(d) for d, _n in series]
    chart = Chart(
        kind="bar",
        key="chart-signups",
        title=_("Sign-ups per week") if weekly else _("Sign-ups per day"),
        x_label=period,
        y_label=_("Sign-ups"),
        labels=labels,
        series=[Series(_("Sign-ups"), [n or 0 for _d, n in series])],
    )
    table = Table(
        "signups",
        chart.title,
        [period, _("Sign-ups")],
        [[d.isoformat(), n or 0] for d, n in series],
    )
    return Panel("growth", _("Growth"), figures=figures, tables=[table], charts=[chart])


@register_panel("activity", ["activity"])
def activity_panel(r) -> Panel:
    # 1: the daily rows of the period; 2: average DAU over the 30 days ending the period
    rows = list(
        DailyActiveCount.objects.filter(day__gte=r.start, day__lte=r.end)
        .order_by("day")
        .values_list("day", "dau", "wau", "mau", "members_total", "creators", "contributors")
    )
    avg_dau = DailyActiveCount.objects.filter(
        day__gt=r.end - timedelta(days=30), day__lte=r.end
    ).aggregate(v=Avg("dau"))["v"]
    last = rows[-1] if rows and rows[-1][0] == r.end else None
    dau, wau, mau, total, creators, contributors = last[1:] if last else (None,) * 6
    figures = [
        Figure(
            _("Active on the last day (DAU)"),
            dau if dau is not None else "—",
            _("on %(day)s") % {"day": _short(r.end)},
        ),
        Figure(_("Active in the last 7 days (WAU)"), wau if wau is not None else "—"),
        Figure(_("Active in the last 30 days (MAU)"), mau if mau is not None else "—"),
        Figure(_("Stickiness (average DAU ÷ MAU)"), pct(share(avg_dau, mau))),
        Figure(_("Share of members active in the last 30 days"), pct(share(mau, total))),
    ]
    if last is not None:
        readers = max(0, mau - creators - contributors)
        figures.append(
            Figure(
                _("Creators / contributors / readers (last 30 days)"),
                f"{creators} / {contributors} / {readers}",
                _("asked or proposed / answered, commented or voted / only read"),
            )
        )
    labels = [_short(d) for d, *_x in rows]
    chart = Chart(
        kind="line",
        key="chart-active",
        title=_("Active members"),
        x_label=_("Day"),
        y_label=_("Members"),
        labels=labels,
        series=[
            Series(_("Daily"), [row[1] for row in rows]),
            Series(_("Weekly"), [row[2] for row in rows]),
            Series(_("Monthly"), [row[3] for row in rows]),
        ],
    )
    table = Table(
        "activity",
        _("Active members per day"),
        [_("Day"), _("DAU"), _("WAU"), _("MAU"), _("DAU ÷ MAU")],
        [[d.isoformat(), a, w, m, pct(share(a, m))] for d, a, w, m, *_rest in rows],
    )
    return Panel("activity", _("Activity"), figures=figures, tables=[table], charts=[chart])


SEGMENT_TABLES = {
    CohortRetention.Segment.ALL: "retention-all",
    CohortRetention.Segment.REFERRED: "retention-referred",
    CohortRetention.Segment.ORGANIC: "retention-organic",
}


@register_panel("retention", list(SEGMENT_TABLES.values()))
def retention_panel(r) -> Panel:
    # 1: every cell of the 12 cohorts ending with the period's last week
    last = week_start(r.end)
    first = last - timedelta(weeks=COHORT_WEEKS - 1)
    cells = CohortRetention.objects.filter(
        cohort_week__gte=first, cohort_week__lte=last
    ).values_list("segment", "cohort_week", "week", "cohort_size", "active")
    grid: dict = {}
    sizes: dict = {}
    for segment, cohort, week, size, active in cells:
        grid[(segment, cohort, week)] = active
        sizes[(segment, cohort)] = size
    cohorts = [first + timedelta(weeks=i) for i in range(COHORT_WEEKS)]
    weeks = list(range(COHORT_WEEKS))
    heats, tables = [], []
    segments = {s for s, _c in sizes} or {CohortRetention.Segment.ALL}
    for segment, key in SEGMENT_TABLES.items():
        if segment not in segments:
            continue
        heat_rows, table_rows = [], []
        for cohort in cohorts:
            size = sizes.get((segment, cohort), 0)
            row = []
            for week in weeks:
                active = grid.get((segment, cohort, week))
                value = share(active, size) if active is not None else None
                row.append(
                    {
                        "share": value,
                        "text": pct(value) if active is not None else "—",
                        "level": None if value is None else min(4, int(value * 5)),
                    }
                )
            heat_rows.append({"cohort": cohort, "size": size, "cells": row})
            table_rows.append([cohort.isoformat(), size, *[c["text"] for c in row]])
        title = {
            CohortRetention.Segment.ALL: _("Retention by weekly sign-up cohort"),
            CohortRetention.Segment.REFERRED: _("Retention of referred members"),
            CohortRetention.Segment.ORGANIC: _("Retention of organic members"),
        }[segment]
        empty = not any(row["size"] for row in heat_rows)
        heats.append(
            {
                "key": key,
                "title": title,
                "weeks": weeks,
                "rows": heat_rows,
                "empty": empty and segment != CohortRetention.Segment.ALL,
            }
        )
        tables.append(
            Table(
                key,
                title,
                [_("Cohort (week of)"), _("Members"), *[_("Week %(n)s") % {"n": w} for w in weeks]],
                table_rows,
                heat_only=True,
            )
        )
    return Panel("retention", _("Retention"), tables=tables, heat=heats)


@register_panel("at-risk", ["reengagement"])
def at_risk_panel(r) -> Panel:
    # 1: members at risk now; 2: letters per period in the date range with come-backs
    at_risk = members_at_risk(timezone.localdate()).count()
    came_back = Exists(
        ActivityDay.objects.filter(
            member_id=OuterRef("member_id"),
            day__gt=OuterRef("sent_on"),
            day__lte=OuterRef("back_by"),
        )
    )
    periods = list(
        ReengagementLetter.objects.filter(
            sent_on__gte=r.start, sent_on__lte=r.end, email__isnull=False
        )
        .values_list("period")
        .annotate(written=Count("id"), back=Count("id", filter=Q(came_back)))
        .order_by("period")
    )
    written = sum(w for _p, w, _b in periods)
    back = sum(b for _p, _w, b in periods)
    figures = [
        Figure(
            _("Members at risk"),
            at_risk,
            _("active before, silent for %(days)s days") % {"days": settings.VECHE_AT_RISK_DAYS},
        ),
        Figure(_("Re-engagement e-mails sent in the period"), written),
        Figure(_("Came back within 14 days"), back, pct(share(back, written))),
    ]
    table = Table(
        "reengagement",
        _("Re-engagement letters"),
        [_("Month"), _("Written to"), _("Came back within 14 days"), _("Share")],
        [[p.strftime("%Y-%m"), w, b, pct(share(b, w))] for p, w, b in periods],
    )
    return Panel("at-risk", _("Members at risk"), figures=figures, tables=[table])
