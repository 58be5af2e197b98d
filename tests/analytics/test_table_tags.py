from datetime import date

from django.template import Context, Template

from analytics.templatetags.analytics_tags import heat_rows, table_rows


def test_table_rows_escape_every_value_and_head_each_row():
    html = table_rows([["<b>Rule</b>", 3, "5.0%"], ["a & b", None, 0.5]])
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
    assert table_rows(rows) == loop


def test_heat_rows_shade_only_the_cells_with_a_level():
    html = heat_rows(
        [
            {
                "cohort": date(2026, 1, 5),
                "size": 4,
                "cells": [{"text": "50.0%", "level": 2}, {"text": "—", "level": None}],
            }
        ]
    )
    assert '<td class="heat-2">50.0%</td><td>—</td>' in html
    assert "<td>4</td>" in html
