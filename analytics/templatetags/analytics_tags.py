"""The rows of the dashboard's tables in one pass. A template loop costs far more per cell
than the cell itself, and a year's dashboard has thousands of them (365 days × every column
of the activity table and the chart data tables). Each value is localized and escaped just as
``{{ value }}`` would be."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import template
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _text(value: Any) -> str:
    return conditional_escape(localize(value))


@register.simple_tag
def table_rows(rows: Iterable[Sequence[Any]]) -> SafeString:
    """``<tr><th scope="row">first</th><td>…</td>…</tr>`` for each row."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><th scope="row">{_text(row[0])}</th>'
            + "".join(f"<td>{_text(v)}</td>" for v in row[1:])
            + "</tr>"
            for row in rows
        )
    )


@register.simple_tag
def heat_rows(rows: Iterable[dict]) -> SafeString:
    """A heat table's rows: the cohort, its size, then a cell per week, shaded by level."""
    out = []
    for row in rows:
        out.append(
            f'<tr>\n    <th scope="row">{_text(date_format(row["cohort"], "SHORT_DATE_FORMAT"))}'
            f"</th><td>{_text(row['size'])}</td>\n    "
        )
        for cell in row["cells"]:
            level = cell["level"]
            shade = f' class="heat-{_text(level)}"' if level is not None else ""
            out.append(f"<td{shade}>{_text(cell['text'])}</td>")
        out.append("\n  </tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped
