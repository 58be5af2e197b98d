from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from analytics.charts import Chart


@dataclass
class Figure:
    label: str
    value: Any
    note: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""
    heat_only: bool = False  # shown as a heat table; the plain table is for CSV only


@dataclass
class Panel:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    heat: Any = None
    unavailable: str = ""


# panel key → (builder, table keys it produces)
PANELS: dict[str, Callable] = {}
TABLES: dict[str, str] = {}


def register_panel(key: str, tables: list[str]) -> Callable[[Callable], Callable]:
    def decorator(fn: Callable) -> Callable:
        PANELS[key] = fn
        for table in tables:
            TABLES[table] = key
        return fn

    return decorator


def panel_for_table(table_key: str) -> Callable | None:
    panel = TABLES.get(table_key)
    return PANELS.get(panel) if panel else None


def share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    h = seconds / 3600
    if h < 48:
        return _("%(hours)s h") % {"hours": number_format(h, 1)}
    return _("%(days)s d") % {"days": number_format(h / 24, 1)}
