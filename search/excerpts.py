"""Excerpts of a hit with the query's words in ``<mark>``: PostgreSQL's ``ts_headline``
output made safe, or (SQLite) an excerpt cut and highlighted in Python after escaping."""

import html as html_lib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.markdown import plain_text

from .terms import fold, stem, terms_of

# Highlight markers that cannot occur in user text; swapped for <mark> after escaping.
START, STOP = "\ue000", "\ue001"


def headline_html(raw: str | None) -> SafeString:
    """ts_headline output (unescaped user text with our markers) as safe HTML."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def excerpt_html(text: str, source: str, *, width: int = 220) -> SafeString:
    """An escaped excerpt of ``source`` (Markdown) around the first match, terms in <mark>."""
    plain = html_lib.unescape(plain_text(source))  # plain_text is HTML-escaped text
    stems = [stem(t) for t in terms_of(text)]
    lower = fold(plain)  # ё read as е, one letter for one: positions stay those of ``plain``
    positions = [lower.find(s) for s in stems if s and lower.find(s) >= 0]
    start = max(0, min(positions) - 60) if positions else 0
    snippet = plain[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(plain) else ""
    html: str = escape(prefix + snippet + suffix)
    if stems:
        pattern = re.compile(
            r"(?<![&#\w])("
            + "|".join(
                re.escape(escape(s)).replace("е", "[её]")
                for s in sorted(stems, key=len, reverse=True)
            )
            + r")\w*",
            re.IGNORECASE | re.UNICODE,
        )
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text
