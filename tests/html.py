"""Comparing markup made by Django templates and by Jinja2 templates."""

import re
from html.parser import HTMLParser


def squeezed(html: str) -> str:
    """White space, and the two spellings of an escaped quote (Django's and Jinja2's)."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


class _Text(HTMLParser):
    """The text a reader meets: text outside scripts and styles, and the attributes that are
    read or shown (placeholders, titles, labels, the words on buttons)."""

    SKIP = {"script", "style", "template"}
    SHOWN = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        values = dict(attrs)
        self.parts.extend(values[a] or "" for a in self.SHOWN if values.get(a))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's readable text, white space squeezed (see ``_Text``)."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()
