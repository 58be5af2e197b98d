"""Reads for the analytics dashboard. Each panel is built from a handful of aggregate queries
(rollup tables for the heavy figures), never by looping over raw rows in Python."""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language

from analytics.forms import DateRange
from analytics.models import RollupWatermark
from analytics.services import DASHBOARD_SCOPE
from config.cache import remember

from . import content, members  # noqa: F401  (register the panels)
from .base import PANELS, Figure, Panel, Table, panel_for_table  # noqa: F401

ORDER = [
    "growth",
    "activity",
    "retention",
    "support",
    "ideas",
    "moderation",
    "referrals",
    "at-risk",
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


def watermark_list() -> QuerySet[RollupWatermark]:
    return RollupWatermark.objects.order_by("metric")


def table_get(key: str, date_range) -> Table | None:
    build = panel_for_table(key)
    if build is None:
        return None
    panel = build(date_range)
    return next((t for t in panel.tables if t.key == key), None)
