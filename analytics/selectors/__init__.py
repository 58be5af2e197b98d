"""Reads for the analytics dashboard. Each panel is built from a handful of aggregate queries
(rollup tables for the heavy figures), never by looping over raw rows in Python."""

from . import content, members  # noqa: F401  (register the panels)
from .base import PANELS, Figure, Panel, Table, panel_for_table  # noqa: F401

ORDER = ["growth", "activity", "retention", "support", "ideas", "moderation", "referrals",
         "at-risk"]


def dashboard_panels(date_range) -> list[Panel]:
    keys = sorted(PANELS, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
    return [PANELS[key](date_range) for key in keys]


def table_get(key: str, date_range) -> Table | None:
    build = panel_for_table(key)
    if build is None:
        return None
    panel = build(date_range)
    return next((t for t in panel.tables if t.key == key), None)
