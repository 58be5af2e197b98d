"""Reads for the analytics dashboard. Each panel is built from a handful of aggregate queries
(rollup tables for the heavy figures), never by looping over raw rows in Python."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.forms import DateRange
from analytics.models import RollupWatermark
from analytics.services import COHORTS, CROSSLINKS, DAILY, DASHBOARD_SCOPE
from config.cache import remember

from . import at_risk, connections, content, members  # noqa: F401  (register the panels)
from .base import PANELS, Figure, Panel, Table, panel_for_table  # noqa: F401

ORDER = [
    "growth",
    "activity",
    "retention",
    "connections",
    "support",
    "ideas",
    "moderation",
    "referrals",
    "at-risk",
    "welcome",
]

T = TypeVar("T")


def dashboard_cached(date_range: DateRange, part: str, build: Callable[[], T]) -> T:
    """``build()`` for the period, cached for a few minutes per period (preset and dates)
    and language (``VECHE_ANALYTICS_CACHE_SECONDS``, 0 turns it off): staff reload and
    switch presets often, and a figure a few minutes old is fine, while the support and
    moderation medians read raw rows. Entries are kept under the ``analytics`` scope, which
    rollup rebuilds, the nightly job, the re-engagement letters and admin edits of the
    analytics rows touch (``services.dashboard_cache_invalidate``): their figures show at
    once. Nothing in the key is about the viewer: cache only what is the same for
    every staff member."""
    timeout = settings.VECHE_ANALYTICS_CACHE_SECONDS
    if not timeout:
        return build()
    key = (
        f"analytics:dashboard:{part}:{date_range.preset}:{date_range.start}:"
        f"{date_range.end}:{get_language()}"
    )
    return remember(key, (DASHBOARD_SCOPE,), build, timeout)


def dashboard_panels(date_range) -> list[Panel]:
    """Every panel for the period, in the dashboard's order."""
    keys = sorted(PANELS, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    return [PANELS[k](date_range) for k in keys]


def metric_labels() -> dict[str, str]:
    return {
        DAILY: _("daily activity"),
        COHORTS: _("weekly cohorts"),
        CROSSLINKS: _("connections between members"),
    }


def watermark_list() -> list[dict]:
    """How far each rollup is complete, with the metric's name for staff (never its code)."""
    labels = metric_labels()
    return [
        {"metric": metric, "label": labels.get(metric, metric), "through": day}
        for metric, day in RollupWatermark.objects.order_by("metric").values_list(
            "metric", "computed_through"
        )
    ]


def rollup_missing_from(date_range: DateRange, watermarks: list[dict]) -> date | None:
    """The first day of the period the daily rollup does not hold yet (today, before the
    nightly job has run again), or None when it holds all of it."""
    daily = next((w["through"] for w in watermarks if w["metric"] == DAILY), None)
    if daily is None:
        return date_range.start
    return daily + timedelta(days=1) if daily < date_range.end else None


def table_get(key: str, date_range) -> Table | None:
    build = panel_for_table(key)
    if build is None:
        return None
    panel = build(date_range)
    return next((t for t in panel.tables if t.key == key), None)
