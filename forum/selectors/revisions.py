"""Revisions of edited posts and the line differences between them."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from moderation.diff import DiffRow, version_diff
from moderation.models import Rule

from ..models import Revision
from ..permissions.questions import Post


@dataclass
class RevisionStep:
    revision: Revision
    rows: list[DiffRow]


class _NoRules:
    def all(self) -> list[Rule]:
        return []


class _RevisionText:
    """A revision as ``moderation.diff`` reads a document version: its text and no rules."""

    rules = _NoRules()

    def __init__(self, revision: Revision) -> None:
        self.body = revision.title + "\n\n" + revision.body


def revision_list(post: Post) -> list[Revision]:
    return list(
        Revision.objects.filter(
            target_type=ContentType.objects.get_for_model(post),
            target_id=post.pk,
        )
        .select_related("author")
        .order_by("number")
    )


def revision_steps(revisions: list[Revision]) -> list[RevisionStep]:
    """What each revision changed from the one before it, newest first."""
    steps = [
        RevisionStep(current, version_diff(_RevisionText(previous), _RevisionText(current)))
        for previous, current in zip(revisions, revisions[1:], strict=False)
    ]
    return list(reversed(steps))
