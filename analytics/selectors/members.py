"""Panels built on members and their activity days: growth, activity, retention, at risk."""

from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from analytics.charts import Chart, Series
from analytics.forms import DateRange
from analytics.models import CohortRetention, DailyActiveCount, ReengagementLetter
from analytics.services import COHORT_WEEKS, day_start, members_at_risk, week_start
from forum.permissions.questions import (
    answers_visible_to,
    comments_visible_to,
    questions_visible_to,
)
from ideas.permissions import ideas_visible_to
from members.models import ActivityDay, Member

from .base import (
    Figure,
    Panel,
    Table,
    pct,
    pct_cell,
    percent_column,
    register_panel,
    share,
)


def _short(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@register_panel("growth", ["signups"])
def growth_panel(r: DateRange) -> Panel:
    # 1: sign-ups per day (≤ 90 days) or per week; 2: sign-ups and referred sign-ups in the
    # period, both from the rollup (a share of referred members counted live over sign-ups
    # rolled up until yesterday passed 100%); 3: members at the end of the period, counted
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
        signups=Coalesce(Sum("signups"), 0), referred=Coalesce(Sum("referred_signups"), 0)
    )
    totals["members"] = Member.objects.filter(
        date_joined__lt=day_start(r.end + timedelta(days=1))
    ).count()
    figures = [
        Figure(_("Sign-ups in the period"), totals["signups"]),
        Figure(_("Members at the end of the period"), totals["members"]),
        Figure(
            _("Share of sign-ups by referral"),
            pct(share(totals["referred"], totals["signups"])),
            _("%(n)s of %(total)s") % {"n": totals["referred"], "total": totals["signups"]},
        ),
    ]
    period = _("Week starting") if weekly else _("Day")
    labels = [_short(d) for d, _n in series]
    chart = Chart(
        kind="bar",
        key="chart-signups",
        csv_table="signups",
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
        csv_table="activity",
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
        [_("Day"), _("DAU"), _("WAU"), _("MAU"), percent_column(_("DAU ÷ MAU"))],
        [[d.isoformat(), a, w, m, pct_cell(share(a, m))] for d, a, w, m, *_rest in rows],
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
            row, share_cells = [], []
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
                share_cells.append(pct_cell(value))
            heat_rows.append({"cohort": cohort, "size": size, "cells": row})
            table_rows.append([cohort.isoformat(), size, *share_cells])
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
                [
                    _("Cohort (week of)"),
                    _("Members"),
                    *[percent_column(_("Week %(n)s") % {"n": w}) for w in weeks],
                ],
                table_rows,
                heat_only=True,
            )
        )
    return Panel("retention", _("Retention"), tables=tables, heat=heats)


@register_panel("at-risk", ["reengagement", "outreach-by-manager", "outreach-by-template"])
def at_risk_panel(r) -> Panel:
    """Who went quiet, and who came back after a letter. A member counts once however many
    letters they got: as written to, and as came back when they were active within
    ``COMEBACK_DAYS`` after any of them (in a row per month, manager or template, once in
    that row)."""
    # 1: members at risk now; 2: members written to and back in the period; 3: the same per
    # month; 4: per manager; 5: per template
    at_risk = members_at_risk(timezone.localdate()).count()
    came_back = Exists(
        ActivityDay.objects.filter(
            member_id=OuterRef("member_id"),
            day__gt=OuterRef("sent_on"),
            day__lte=OuterRef("back_by"),
        )
    )
    letters = ReengagementLetter.objects.filter(
        sent_on__gte=r.start, sent_on__lte=r.end, email__isnull=False
    )
    counts = {
        "written": Count("member", distinct=True),
        "back": Count("member", distinct=True, filter=Q(came_back)),
    }
    total = letters.aggregate(**counts)
    periods = list(
        letters.annotate(month=TruncMonth("sent_on"))
        .values_list("month")
        .annotate(**counts)
        .order_by("month")
    )
    by_manager = list(
        letters.values_list("sender__username", "sender__display_name")
        .annotate(**counts)
        .order_by(F("written").desc(), "sender__username")
    )
    by_template = list(
        letters.values_list("template__name")
        .annotate(**counts)
        .order_by(F("written").desc(), "template__name")
    )
    written, back = total["written"], total["back"]
    figures = [
        Figure(
            _("Members at risk"),
            at_risk,
            _("active before, silent for %(days)s days") % {"days": settings.VECHE_AT_RISK_DAYS},
        ),
        Figure(_("Re-engagement e-mails sent in the period"), written, _("members written to")),
        Figure(_("Came back within 14 days"), back, pct(share(back, written))),
    ]
    automatic = _("Monthly letter (automatic)")
    came_back_columns = [
        _("Written to"),
        _("Came back within 14 days"),
        percent_column(_("Share")),
    ]
    tables = [
        Table(
            "reengagement",
            _("Re-engagement letters"),
            [_("Month"), *came_back_columns],
            [[p.strftime("%Y-%m"), w, b, pct_cell(share(b, w))] for p, w, b in periods],
        ),
        Table(
            "outreach-by-manager",
            _("Came back, by who wrote"),
            [_("Written by"), *came_back_columns],
            [
                [(display or username) if username else automatic, w, b, pct_cell(share(b, w))]
                for username, display, w, b in by_manager
            ],
        ),
        Table(
            "outreach-by-template",
            _("Came back, by letter"),
            [_("Letter"), *came_back_columns],
            [[name or automatic, w, b, pct_cell(share(b, w))] for name, w, b in by_template],
        ),
    ]
    return Panel("at-risk", _("Members at risk"), figures=figures, tables=tables)


FIRST_CONTRIBUTION_DAYS = 14


def _contributed_within(days: int) -> Exists:
    """The member published a question, answer, comment or idea within ``days`` of joining
    (what anyone may read of it: the site's visibility rule)."""
    anyone = AnonymousUser()
    window = OuterRef("date_joined") + timedelta(days=days)
    sources: list[QuerySet[Any]] = [
        questions_visible_to(anyone),
        answers_visible_to(anyone),
        comments_visible_to(anyone),
        ideas_visible_to(anyone),
    ]
    exists = [Exists(qs.filter(author=OuterRef("pk"), created_at__lt=window)) for qs in sources]
    return reduce(or_, exists)


@register_panel("welcome", ["welcome"])
def welcome_panel(r: DateRange) -> Panel:
    """The newcomers of the period, welcomed or not yet, and the share of each who made a
    first contribution within 14 days of joining (members who joined less than 14 days ago
    may still)."""
    # 1: one aggregate over the members who joined in the period
    since, until = day_start(r.start), day_start(r.end + timedelta(days=1))
    welcomed = Q(welcome_sent_at__isnull=False)
    f = (
        Member.objects.filter(date_joined__gte=since, date_joined__lt=until, is_staff=False)
        .annotate(contributed=_contributed_within(FIRST_CONTRIBUTION_DAYS))
        .aggregate(
            joined=Count("id"),
            welcomed=Count("id", filter=welcomed),
            welcomed_contributed=Count("id", filter=welcomed & Q(contributed=True)),
            not_welcomed=Count("id", filter=~welcomed),
            not_welcomed_contributed=Count("id", filter=~welcomed & Q(contributed=True)),
        )
    )
    welcomed_share = share(f["welcomed_contributed"], f["welcomed"])
    other_share = share(f["not_welcomed_contributed"], f["not_welcomed"])
    figures = [
        Figure(
            _("Newcomers welcomed"),
            f["welcomed"],
            _("of %(n)s who joined in the period") % {"n": f["joined"]},
        ),
        Figure(_("First contribution within 14 days, welcomed"), pct(welcomed_share)),
        Figure(_("First contribution within 14 days, not yet welcomed"), pct(other_share)),
    ]
    table = Table(
        "welcome",
        _("First contribution within 14 days of joining"),
        [_("Newcomers"), _("Members"), _("Contributed within 14 days"), percent_column(_("Share"))],
        [
            [
                _("Welcomed"),
                f["welcomed"],
                f["welcomed_contributed"],
                pct_cell(welcomed_share),
            ],
            [
                _("Not yet welcomed"),
                f["not_welcomed"],
                f["not_welcomed_contributed"],
                pct_cell(other_share),
            ],
        ],
    )
    return Panel("welcome", _("Welcome"), figures=figures, tables=[table])
