"""HTML building for components repeated many times on a page (the vote box, post tools,
comments, flag and moderator controls). ``format_html`` checks every argument for lazy
objects and escapes through ``conditional_escape``: about 4 µs a call, which adds up to
milliseconds on a question page. Same escaping rules, less overhead."""

from html import escape
from typing import cast

from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language


def esc(value) -> str:
    if isinstance(value, SafeData):
        return cast(SafeString, value)  # the only SafeData there is (SafeBytes went in Django 2.1)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return escape(str(value))


def html(template: str, **values) -> SafeString:
    """``format_html(template, **values)``: values escaped unless already safe."""
    return SafeString(template.format(**{k: esc(v) for k, v in values.items()}))


class Labels:
    """Translated labels, looked up once per language instead of once per use.
    ``Labels({"edit": gettext_lazy("Edit")}).get()["edit"]``."""

    def __init__(self, strings: dict[str, Promise]):
        self.strings = strings
        self._by_language: dict[str | None, dict[str, str]] = {}

    def get(self) -> dict[str, str]:
        language = get_language()
        labels = self._by_language.get(language)
        if labels is None:
            labels = self._by_language[language] = {
                k: SafeString(escape(str(v))) for k, v in self.strings.items()
            }
        return labels
