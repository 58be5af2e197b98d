"""Template sources: mistakes that render silently."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_has_a_comment_spanning_lines():
    """``{# … #}`` ends at the end of its line: one spanning lines is shown on the page as
    text (use ``{% comment %}``). Jinja2's templates (``templates/jinja2``) are not concerned."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if path.is_relative_to(TEMPLATES / "jinja2"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\{#(?!.*#\})", line):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not found
