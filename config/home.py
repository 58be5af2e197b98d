"""Home page sections contributed by apps: callables ``(request) -> dict`` with ``template``
and its context, appended in ``AppConfig.ready``. Each must run a constant number of queries.
Visitors' home page is cached under the ``questions``, ``ideas`` and ``faq`` scopes
(``config.cache``): a section showing anything else declares its scope there."""

from django.http import HttpRequest

HOME_SECTIONS: list = []
# Callables ``(request) -> bool``: whether the viewer gets this app's blocks as visitors do.
# A viewer for whom every app says so shares one render of the blocks (config.views.home_view).
HOME_AS_VISITORS: list = []


def home_sections(request: HttpRequest) -> list[dict]:
    return [section(request) for section in HOME_SECTIONS]
