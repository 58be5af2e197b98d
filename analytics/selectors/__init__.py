"""Reads for the analytics dashboard. Each panel is built from a handful of aggregate queries
(rollup tables for the heavy figures), never by looping over raw rows in Python."""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from . import content, members  # noqa: F401  (register the panels)
from .base import PANELS, Figure, Panel, Table, panel_for_table  # noqa: F401

ORDER = ["growth", "activity", "retention", "support", "ideas", "moderation", "referrals",
         "at-risk"]


def dashboard_panels(date_range) -> list[Panel]:
    """Every panel for the period. The result is cached for a few minutes per period and
    language (``VECHE_ANALYTICS_CACHE_SECONDS``): staff reload and switch presets often, and a
    figure a few minutes old is fine, while the support and moderation medians read raw rows."""
    timeout = settings.VECHE_ANALYTICS_CACHE_SECONDS
    key = f"analytics:panels:{date_range.start}:{date_range.end}:{get_language()}"
    if timeout:
        cached = cache.get(key)
        if cached is not None:
            return cached
    keys = sorted(PANELS, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    panels = [PANELS[k](date_range) for k in keys]
    if timeout:
        cache.set(key, panels, timeout)
    return panels


def table_get(key: str, date_range) -> Table | None:
    build = panel_for_table(key)
    if build is None:
        return None
    panel = build(date_range)
    return next((t for t in panel.tables if t.key == key), None)
