"""Reads for the privileges pages (docs/privileges.md): the votes on closing a question and
the suggested edits a reviewer may see."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from moderation.diff import DiffRow, version_diff
from moderation.models import Rule

from ..models import Answer, CloseVote, Question, SuggestedEdit
from ..permissions.questions import Viewer, answers_readable_to, questions_visible_to


def content_type(model: type[Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


@dataclass
class CloseVotes:
    close: int
    reopen: int
    mine: set[str]


def close_votes_get(question: Question, viewer: Viewer) -> CloseVotes:
    """The open votes on ``question`` and which of them (close, reopen) are the viewer's."""
    rows = list(
        CloseVote.objects.filter(question=question, is_open=True).values_list("kind", "member")
    )
    viewer_id = getattr(viewer, "pk", None)
    return CloseVotes(
        close=sum(1 for kind, _member in rows if kind == CloseVote.Kind.CLOSE),
        reopen=sum(1 for kind, _member in rows if kind == CloseVote.Kind.REOPEN),
        mine={kind for kind, member in rows if member == viewer_id},
    )


def suggested_edits_visible_to(viewer: Viewer) -> QuerySet[SuggestedEdit]:
    """Suggestions on posts the viewer may see (the reviewers' list and pages)."""
    return SuggestedEdit.objects.filter(
        Q(
            target_type=content_type(Question),
            target_id__in=questions_visible_to(viewer).values("pk"),
        )
        | Q(
            target_type=content_type(Answer),
            target_id__in=answers_readable_to(viewer).values("pk"),
        )
    ).select_related("author", "decided_by")


def suggested_edit_list_pending(viewer: Viewer) -> list[SuggestedEdit]:
    """The waiting suggestions, oldest first, each with its post (``target``) loaded."""
    rows = list(
        suggested_edits_visible_to(viewer)
        .filter(status=SuggestedEdit.Status.PENDING)
        .order_by("created_at", "id")[:100]
    )
    by_type: dict[int, list[int]] = {}
    for row in rows:
        by_type.setdefault(row.target_type_id, []).append(row.target_id)
    questions = Question.objects.in_bulk(by_type.get(content_type(Question).pk, []))
    answers = Answer.objects.select_related("question").in_bulk(
        by_type.get(content_type(Answer).pk, [])
    )
    for row in rows:
        loaded = (questions if row.target_type_id == content_type(Question).pk else answers).get(
            row.target_id
        )
        row.target = loaded
    return rows


def question_visible_or_none(viewer: Viewer, pk: int | None) -> Question | None:
    """A question the viewer may see, by number (the original a close vote names)."""
    if pk is None:
        return None
    return questions_visible_to(viewer).select_related("category").filter(pk=pk).first()


class _NoRules:
    def all(self) -> list[Rule]:
        return []


class _Text:
    """A version as ``moderation.diff`` reads a document version: its text and no rules."""

    rules = _NoRules()

    def __init__(self, title: str, body: str, tags: list[str] | None) -> None:
        tag_line = ", ".join(tags) if tags is not None else ""
        self.body = "\n\n".join(part for part in (title, tag_line, body) if part)


def suggested_edit_diff(suggestion: SuggestedEdit) -> list[DiffRow]:
    """What the suggestion changes in its post as it is now."""
    post = suggestion.target
    if not isinstance(post, Question | Answer):
        return []
    if isinstance(post, Question):
        current = _Text(post.title, post.body, [t.name for t in post.tags.all()])
        wanted = _Text(suggestion.title, suggestion.body, suggestion.tags)
    else:
        current, wanted = _Text("", post.body, None), _Text("", suggestion.body, None)
    return version_diff(current, wanted)
