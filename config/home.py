"""Home page sections contributed by apps: callables ``(request) -> dict`` with ``template``
and its context, appended in ``AppConfig.ready``. Each must run a constant number of queries.
Visitors' home page is cached under the ``questions``, ``ideas`` and ``faq`` scopes
(``config.cache``): a section showing anything else declares its scope there."""

from django.http import HttpRequest

HOME_SECTIONS: list = []


def home_sections(request: HttpRequest) -> list[dict]:
    return [section(request) for section in HOME_SECTIONS]
