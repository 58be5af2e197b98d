"""The rows of the dashboard's tables (templates/jinja2/analytics/*_rows.html): escaped and
localized as a Django template loop shows them."""

from datetime import date

from django.template import Context, Template
from django.template.loader import render_to_string


def rows_html(template: str, rows) -> str:
    html = render_to_string(f"analytics/{template}.html", {"rows": rows}, using="jinja2")
    return html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_table_rows_escape_every_value_and_head_each_row():
    html = rows_html("table_rows", [["<b>Rule</b>", 3, "5.0%"], ["a & b", None, 0.5]])
    assert html == (
        '<tr><th scope="row">&lt;b&gt;Rule&lt;/b&gt;</th><td>3</td><td>5.0%</td></tr>'
        '<tr><th scope="row">a &amp; b</th><td>None</td><td>0.5</td></tr>'
    )


def test_table_rows_give_what_a_template_loop_gives():
    rows = [["2026-01-05", 1234, "—"], ['"x"', 0, 2.25]]
    loop = Template(
        '{% for row in rows %}<tr><th scope="row">{{ row.0 }}</th>{% for v in row|slice:"1:" %}'
        "<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}"
    ).render(Context({"rows": rows}))
    assert rows_html("table_rows", rows) == loop


def test_heat_rows_shade_only_the_cells_with_a_level():
    html = rows_html(
        "heat_rows",
        [
            {
                "cohort": date(2026, 1, 5),
                "size": 4,
                "cells": [{"text": "50.0%", "level": 2}, {"text": "—", "level": None}],
            }
        ],
    )
    assert '<td class="heat-2">50.0%</td><td>—</td>' in html
    assert "<td>4</td>" in html
