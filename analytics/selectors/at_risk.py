"""Members at risk by name: who went quiet, what they used to do, and who wrote to them.

The list (``analytics.sources.at_risk_list``) reads a member row per person with a few
correlated subqueries (counts, last question, last letter) and one more query for the tags
of the members on the page; the figures of who came back after a letter are in
``members.at_risk_panel``."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation

from analytics.sources import at_risk_list, at_risk_tags, at_risk_with_tags, letter_values
from config.csvexport import spreadsheet_row
from members.letters import Letter, letter_for
from members.models import LetterTemplate, Member

CSV_COLUMNS = [
    "username",
    "name",
    "email",
    "joined",
    "member_for_days",
    "last_active",
    "silent_days",
    "questions",
    "answers",
    "ideas",
    "tags",
    "last_question",
    "last_letter_on",
    "last_letter_by",
]


CSV_FIELDS = (
    "pk",
    "username",
    "display_name",
    "email",
    "date_joined",
    "last_seen",
    "questions_asked",
    "answers_written",
    "ideas_proposed",
    "last_question",
    "last_letter_on",
    "last_letter_by",
)
CHUNK = 500


def at_risk_csv_rows(members: QuerySet[Member], today: date) -> Iterator[list]:
    """The filtered list as rows of numbers and plain text, read in chunks (it can be long):
    a query for each chunk's rows and one for their tags."""

    def shaped(rows: list[dict[str, Any]]) -> Iterator[list]:
        tags = at_risk_tags(row["pk"] for row in rows)
        for row in rows:
            joined = timezone.localtime(row["date_joined"]).date()
            seen = row["last_seen"]
            letter_on = row["last_letter_on"]
            yield [
                row["username"],
                row["display_name"] or row["username"],
                row["email"],
                joined.isoformat(),
                (today - joined).days,
                seen.isoformat() if seen else "",
                (today - seen).days if seen else "",
                row["questions_asked"],
                row["answers_written"],
                row["ideas_proposed"],
                ", ".join(tags.get(row["pk"], [])),
                row["last_question"] or "",
                letter_on.isoformat() if letter_on else "",
                row["last_letter_by"] or "",
            ]

    chunk: list[dict[str, Any]] = []
    for row in members.values(*CSV_FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from shaped(chunk)
            chunk = []
    yield from shaped(chunk)


class _Echo:
    """A file that hands back what is written: ``csv.writer`` formats, the response streams."""

    def write(self, value: str) -> str:
        return value


def at_risk_csv_lines(members: QuerySet[Member], today: date) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in at_risk_csv_rows(members, today):
        yield writer.writerow(spreadsheet_row(row))


def outreach_recipients(member_ids: Iterable[int], today: date) -> list[Member]:
    """The chosen members still at risk, shaped for their letters, by name."""
    chosen = at_risk_list(today).filter(pk__in=list(member_ids)).order_by("username")
    return at_risk_with_tags(chosen)


def outreach_preview(
    member: Member, template: LetterTemplate, *, manager: str, community: str
) -> Letter:
    """The letter ``member`` would get, in their language."""
    language = member.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        values = letter_values(member, manager=manager, community=community)
        return letter_for(template, language, values)
