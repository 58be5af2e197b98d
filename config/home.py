"""Home page sections contributed by apps: callables ``(request) -> dict`` with ``template``
and its context, appended in ``AppConfig.ready``. Each must run a constant number of queries.

The sections are rendered once per *kind* of viewer (``config.pagecache.viewer_kind``) and shared by
every viewer of that kind, so a section may depend on nothing else about the viewer: list
published content, with private categories by the kind's rights (no viewer's own held
posts, votes or name)."""

from django.http import HttpRequest

HOME_SECTIONS: list = []


def home_sections(request: HttpRequest) -> list[dict]:
    return [section(request) for section in HOME_SECTIONS]
