"""Server-rendered SVG charts: no JavaScript, no CDN. Each chart has a title and description
for screen readers, axis labels, a <title> on every point or bar with its value, series told
apart by line style and markers (not colour alone), and a data table next to it."""

import math
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 52
DASHES = ["", "6 4", "2 3", "10 3 2 3"]
MARKERS = ["circle", "square", "diamond", "triangle"]
_ids = count(1)


@dataclass
class Series:
    label: str
    values: list[float | None]


@dataclass
class Chart:
    kind: str  # "line" or "bar"
    title: str
    x_label: str
    y_label: str
    labels: list[str]
    series: list[Series]
    percent: bool = False
    key: str = field(default_factory=lambda: f"chart-{next(_ids)}")
    csv_table: str = ""  # the dashboard table whose CSV holds this chart's data

    def fmt(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.percent:
            return f"{value * 100:.1f}%"
        return f"{value:g}" if value != int(value) else f"{int(value)}"

    @property
    def table_rows(self) -> list[list[str]]:
        return [
            [label, *[self.fmt(s.values[i]) for s in self.series]]
            for i, label in enumerate(self.labels)
        ]

    @property
    def svg(self) -> SafeString:
        return mark_safe(render_svg(self))  # noqa: S308 - every text is escaped in render_svg


def _scale_max(values: list[float], percent: bool) -> float:
    """A round top for the value axis: 100% (or less) for shares, a round even count else."""
    top = max([v for v in values if v is not None] or [0])
    if percent:
        return 1.0 if top > 0.5 or top <= 0 else math.ceil(top * 10) / 10
    if top <= 2:
        return 2.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    nice = (int(top) // magnitude + 1) * magnitude
    return float(nice + nice % 2)


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6"/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 4:.1f}l4 4l-4 4l-4 -4z"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 4:.1f}l4 7h-8z"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"/>'


def render_svg(chart: Chart) -> str:
    n = len(chart.labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    all_values = [v for s in chart.series for v in s.values if v is not None]
    top = _scale_max(all_values, chart.percent)
    title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
    names = ", ".join(s.label for s in chart.series)
    desc = _("%(y)s by %(x)s: %(names)s. %(n)s points; the data table has every value.") % {
        "y": chart.y_label,
        "x": chart.x_label,
        "names": names,
        "n": n,
    }
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="chart-{chart.kind}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        '<g class="axes" stroke="#5b6470" fill="none">',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}"/>',
        "</g>",
        '<g class="ticks" font-size="11" fill="#1d2125">',
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(chart.fmt(top * fraction))}</text>"
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#dde1e6" stroke-width="0.5"/>'
        )
    step = max(1, n // 6)
    slot = plot_w / max(n, 1)
    for i in range(0, n, step):
        x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{escape(chart.labels[i])}</text>"
        )
    out.append("</g>")
    out.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
        f'font-size="12">{escape(chart.x_label)}</text>'
        f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle" font-size="12">{escape(chart.y_label)}</text>'
    )

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    if chart.kind == "bar":
        groups = len(chart.series)
        bar_w = max(1.0, slot * 0.8 / max(groups, 1))
        for g, series in enumerate(chart.series):
            out.append(f'<g class="series-{g}" fill="#1f5fbf" fill-opacity="{1 - g * 0.35:.2f}">')
            for i, value in enumerate(series.values):
                if value is None:
                    continue
                x = LEFT + slot * i + slot * 0.1 + bar_w * g
                y = y_of(value)
                label = f"{chart.labels[i]}: {chart.fmt(value)} ({series.label})"
                out.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                    f'height="{TOP + plot_h - y:.1f}"><title>{escape(label)}</title></rect>'
                )
                if n <= 16:
                    out.append(
                        f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
                        f'text-anchor="middle" fill="#1d2125">{escape(chart.fmt(value))}</text>'
                    )
            out.append("</g>")
    else:
        for g, series in enumerate(chart.series):
            points = [
                (LEFT + slot * (i + 0.5), y_of(v), v, chart.labels[i])
                for i, v in enumerate(series.values)
                if v is not None
            ]
            dash = DASHES[g % len(DASHES)]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l in points)
            out.append(
                f'<g class="series-{g}" stroke="#1f5fbf" fill="#1f5fbf">'
                f'<polyline fill="none" stroke-width="2" points="{path}"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
            every = max(1, len(points) // 40)
            for j, (x, y, v, label) in enumerate(points):
                if j % every and j != len(points) - 1:
                    continue
                text = escape(f"{label}: {chart.fmt(v)} ({series.label})")
                out.append(
                    f"<g>{_marker(MARKERS[g % len(MARKERS)], x, y)}<title>{text}</title></g>"
                )
            out.append("</g>")
    if len(chart.series) > 1 or chart.kind == "line":
        for g, series in enumerate(chart.series):
            x = LEFT + 8 + g * 150
            y = TOP + 4
            dash = DASHES[g % len(DASHES)]
            out.append(
                f'<g class="legend" font-size="11"><line x1="{x}" x2="{x + 18}" y1="{y}" '
                f'y2="{y}" stroke="#1f5fbf" stroke-width="2"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + f'/><g fill="#1f5fbf">{_marker(MARKERS[g % len(MARKERS)], x + 9, y)}</g>'
                f'<text x="{x + 24}" y="{y + 4}">{escape(series.label)}</text></g>'
            )
    out.append("</svg>")
    return "".join(out)
