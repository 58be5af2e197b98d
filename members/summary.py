"""The registry of what the summary e-mail shows (``members.services_summary``).

Each app that owns posts registers, in its receivers, a source ``(member, since, limit) ->
items``: its best posts since ``since`` in what the member watches or knows (their levels,
their expertise), else the community's best, only among what the member may see (the site's
one visibility rule, published posts only), best first, in a constant number of queries."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypedDict

# The e-mail kind of the summary (its unsubscribe link turns the summary off).
SUMMARY_KIND = "summary"


class SummaryItem(TypedDict):
    kind: str  # "question", "answer" (an accepted one), "idea": the template words it
    title: str
    url: str  # the post's address, without the host


SummarySource = Callable[[Any, datetime, int], list[SummaryItem]]
SUMMARY_SOURCES: list[SummarySource] = []


def register_summary_source(source: SummarySource) -> None:
    if source not in SUMMARY_SOURCES:
        SUMMARY_SOURCES.append(source)
