"""Reads for the analytics dashboard. Each panel is built from a handful of aggregate queries
(rollup tables for the heavy figures), never by looping over raw rows in Python."""

from . import members  # noqa: F401,E402  (registers the members-based panels)
from .base import PANELS, Figure, Panel, Table, panel_for_table  # noqa: F401


def dashboard_panels(date_range) -> list[Panel]:
    return [build(date_range) for build in PANELS.values()]


def table_get(key: str, date_range) -> Table | None:
    build = panel_for_table(key)
    if build is None:
        return None
    panel = build(date_range)
    return next((t for t in panel.tables if t.key == key), None)
