"""Comparing markup made by Django templates and by Jinja2 templates."""

import re


def squeezed(html: str) -> str:
    """White space, and the two spellings of an escaped quote (Django's and Jinja2's)."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()
