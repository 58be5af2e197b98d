"""The connections panel: cross-links between members per week and month (the rollup
``CrossLinkPeriod``, filled by ``services.crosslinks_rebuild``; docs/analytics.md)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from analytics.charts import Chart, Series
from analytics.forms import DateRange
from analytics.models import CrossLinkPeriod
from analytics.services import week_start

from .base import Column, Figure, Panel, Table, pct, pct_cell, percent_column, register_panel, share

WEEKLY, MONTHLY = "crosslinks-weekly", "crosslinks-monthly"


def _month(day: date) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def _change(before: int, after: int) -> str:
    if not before:
        return "—"
    return f"{(after - before) / before * 100:+.1f}%"


@register_panel("connections", [WEEKLY, MONTHLY])
def connections_panel(r: DateRange) -> Panel:
    # 1: the weeks and months of the period, and the month before it (for the trend)
    first_month = r.start.replace(day=1)
    month_before = (first_month - timedelta(days=1)).replace(day=1)
    rows = list(
        CrossLinkPeriod.objects.filter(
            Q(kind=CrossLinkPeriod.Kind.WEEK, start__gte=week_start(r.start), start__lte=r.end)
            | Q(kind=CrossLinkPeriod.Kind.MONTH, start__gte=month_before, start__lte=r.end)
        ).order_by("kind", "start")
    )
    n = settings.VECHE_CROSSLINKS_MIN_LINKS
    weeks = [row for row in rows if row.kind == CrossLinkPeriod.Kind.WEEK]
    months = [row for row in rows if row.kind == CrossLinkPeriod.Kind.MONTH]
    shown_months = [row for row in months if row.start >= first_month]
    last = months[-1] if months and months[-1].start == r.end.replace(day=1) else None
    before = next((m for m in months if last and m.start == _previous_month(last.start)), None)
    figures = []
    if last is not None:
        figures = [
            Figure(
                _("Pairs of members who interacted"),
                last.pairs,
                _("in %(month)s; %(linked)s members with at least one link")
                % {"month": _month(last.start), "linked": last.linked},
            ),
            Figure(
                _("Active members with at least %(n)s links") % {"n": n},
                pct(share(last.active_linked_n, last.active)),
                _("%(k)s of %(active)s active in %(month)s")
                % {"k": last.active_linked_n, "active": last.active, "month": _month(last.start)},
            ),
        ]
        if before is not None:
            figures.append(
                Figure(
                    _("Pairs compared with the month before"),
                    _change(before.pairs, last.pairs),
                    _("%(before)s → %(after)s pairs; share with %(n)s links %(s1)s → %(s2)s")
                    % {
                        "before": before.pairs,
                        "after": last.pairs,
                        "n": n,
                        "s1": pct(share(before.active_linked_n, before.active)),
                        "s2": pct(share(last.active_linked_n, last.active)),
                    },
                )
            )
    labels = [date_format(row.start, "SHORT_DATE_FORMAT") for row in weeks]
    charts = [
        Chart(
            kind="line",
            key="chart-crosslinks",
            csv_table=WEEKLY,
            title=_("Pairs of members who interacted, per week"),
            x_label=_("Week starting"),
            y_label=_("Pairs"),
            labels=labels,
            series=[Series(_("Pairs"), [row.pairs for row in weeks])],
        ),
        Chart(
            kind="line",
            key="chart-crosslinks-share",
            csv_table=WEEKLY,
            title=_("Active members with at least %(n)s links, per week") % {"n": n},
            x_label=_("Week starting"),
            y_label=_("Share of active members"),
            labels=labels,
            series=[Series(_("Share"), [share(row.active_linked_n, row.active) for row in weeks])],
            percent=True,
        ),
    ]
    columns = [
        _("Pairs"),
        _("Members with a link"),
        _("Active members"),
        Column(_("Active with at least %(n)s links") % {"n": n}),
        percent_column(_("Share of active members")),
    ]

    def cells(row: CrossLinkPeriod) -> list:
        return [
            row.start.isoformat(),
            row.pairs,
            row.linked,
            row.active,
            row.active_linked_n,
            pct_cell(share(row.active_linked_n, row.active)),
        ]

    tables = [
        Table(
            WEEKLY,
            _("Connections per week"),
            [_("Week starting"), *columns],
            [cells(row) for row in weeks],
        ),
        Table(
            MONTHLY,
            _("Connections per month"),
            [_("Month"), *columns],
            [cells(row) for row in shown_months],
        ),
    ]
    return Panel(
        "connections",
        _("Connections"),
        figures=figures,
        tables=tables,
        charts=charts,
        unavailable=""
        if rows
        else _("No connections counted for this period yet: the nightly job fills them."),
    )


def _previous_month(start: date) -> date:
    return (start - timedelta(days=1)).replace(day=1)
