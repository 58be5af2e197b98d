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


class Cell(str):
    """A table value shown one way and exported another: it is the text the page shows
    ("12.5%", "5.8 h"), and the CSV has its bare ``number`` (12.5, 5.8) under a header that
    names the unit."""

    number: float | None

    def __new__(cls, number: float | None, text: str) -> "Cell":
        cell = super().__new__(cls, text)
        cell.number = number
        return cell

    def __getnewargs__(self) -> tuple[float | None, str]:  # type: ignore[override]
        return self.number, str(self)

    @property
    def csv(self) -> float | str:
        return "" if self.number is None else self.number


@dataclass(frozen=True)
class Column:
    """A column heading; ``unit`` is added to it in the CSV header ("Share (%)")."""

    label: str
    unit: str = ""

    def __str__(self) -> str:
        return self.label

    @property
    def csv(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass
class Table:
    key: str
    title: str
    columns: list[Any]  # str or Column
    rows: list[list[Any]]
    caption: str = ""
    heat_only: bool = False  # shown as a heat table; the plain table is for CSV only

    @property
    def csv_header(self) -> list[str]:
        return [c.csv if isinstance(c, Column) else str(c) for c in self.columns]

    @property
    def csv_rows(self) -> list[list[Any]]:
        """The rows with numbers for numbers: a spreadsheet sums and charts them."""
        return [[v.csv if isinstance(v, Cell) else v for v in row] for row in self.rows]


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


def pct_cell(value: float | None) -> Cell:
    """A share: "12.5%" on the page, 12.5 in the CSV (its column says "%")."""
    return Cell(None if value is None else round(value * 100, 1), pct(value))


def hours_cell(seconds: float | None) -> Cell:
    """A duration: "5.8 h" or "3.2 d" on the page, hours (5.8, 76.8) in the CSV."""
    return Cell(None if seconds is None else round(seconds / 3600, 2), hours(seconds))


def percent_column(label: str) -> Column:
    return Column(label, "%")


def hours_column(label: str) -> Column:
    return Column(label, _("hours"))


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    h = seconds / 3600
    if h < 48:
        return _("%(hours)s h") % {"hours": number_format(h, 1)}
    return _("%(days)s d") % {"days": number_format(h / 24, 1)}
