"""Questions, answers and comments: read, ask, answer, comment, vote, accept, follow."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from forum.filters_qa import QuestionFilter
from forum.forms_qa import AnswerForm, CommentForm, QuestionForm
from forum.models import Question
from forum.permissions import questions as perms
from forum.selectors import questions as selectors
from forum.services import answers as answer_services
from forum.services import comments as comment_services
from forum.services import follows as follow_services
from forum.services import questions as question_services
from forum.services import votes as vote_services
from forum.views.access import visible_answer, visible_question, visible_voteable

from ..access import acting, cleaned, filter_data, reading
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_page
from ..schemas import (
    BodyIn,
    CreatedOut,
    DoneOut,
    ErrorOut,
    QuestionIn,
    QuestionOut,
    QuestionPage,
    ScoreOut,
    VoteIn,
)

router = Router(tags=["questions"])
answers_router = Router(tags=["questions"])

ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class QuestionQuery(Schema):
    status: str | None = Field(
        None, description="unanswered, unsolved, solved or needs-staff (as the list page)."
    )
    category: str | None = Field(None, description="A category's slug.")
    tag: str | None = Field(None, description="A tag's slug.")
    sort: str | None = Field(None, description="newest (default), active or votes.")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _created(post: Any) -> dict[str, Any]:
    return {"id": post.pk, "url": post.get_absolute_url(), "state": post.moderation_state}


@router.get(
    "",
    response={200: QuestionPage, **ERRORS},
    summary="List questions",
    description="The question list as the site shows it to you (filters of the list page).",
)
def question_list(request: HttpRequest, query: Query[QuestionQuery]) -> dict[str, Any]:
    reading(request)
    filterset = QuestionFilter(
        filter_data(query, ("status", "category", "tag", "sort")),
        queryset=selectors.question_list_for(request.user),
        categories=perms.categories_visible_to(request.user),
    )
    if not filterset.is_valid():
        cleaned(filterset.form)
    rows, next_cursor = cursor_page(filterset.qs, cursor=query.cursor, limit=query.limit)
    return {"results": rows, "next_cursor": next_cursor}


@router.get(
    "/{int:pk}",
    response={200: QuestionOut, **ERRORS},
    summary="A question with its answers and comments",
)
def question_detail(request: HttpRequest, pk: int) -> Question:
    reading(request)
    try:
        question, answers = selectors.question_page_data(pk=pk, viewer=request.user)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    perms.check_can_view_category(request.user, question.category)
    question.answer_list = answers  # type: ignore[attr-defined]
    return question


@router.post(
    "", response={201: CreatedOut, **ERRORS}, summary="Ask a question", operation_id="question_ask"
)
def question_ask(request: HttpRequest, payload: QuestionIn) -> Status[dict[str, Any]]:
    member = acting(request)
    data = cleaned(
        QuestionForm(
            {**payload.dict(), "tags": ", ".join(payload.tags)},
            categories=perms.categories_visible_to(member),
        )
    )
    question = question_services.question_create(
        author=member,
        category=data["category"],
        title=data["title"],
        body=data["body"],
        tags=data["tags"],
    )
    return Status(201, _created(question))


@router.post("/{int:pk}/answers", response={201: CreatedOut, **ERRORS}, summary="Answer")
def answer_create(request: HttpRequest, pk: int, payload: BodyIn) -> Status[dict[str, Any]]:
    member = acting(request)
    question = visible_question(request, pk)
    data = cleaned(AnswerForm(payload.dict()))
    answer = answer_services.answer_create(author=member, question=question, body=data["body"])
    return Status(201, _created(answer))


def _comment(request: HttpRequest, kind: str, pk: int, payload: BodyIn) -> Status[dict[str, Any]]:
    member = acting(request)
    target = visible_voteable(request, kind, pk)
    data = cleaned(CommentForm(payload.dict()))
    comment = comment_services.comment_create(author=member, target=target, body=data["body"])
    url = f"{target.get_absolute_url()}#comment-{comment.pk}"
    return Status(201, {"id": comment.pk, "url": url, "state": comment.moderation_state})


@router.post(
    "/{int:pk}/comments",
    response={201: CreatedOut, **ERRORS},
    summary="Comment on a question",
)
def question_comment(request: HttpRequest, pk: int, payload: BodyIn) -> Status[dict[str, Any]]:
    return _comment(request, "question", pk, payload)


@answers_router.post(
    "/{int:pk}/comments",
    response={201: CreatedOut, **ERRORS},
    summary="Comment on an answer",
)
def answer_comment(request: HttpRequest, pk: int, payload: BodyIn) -> Status[dict[str, Any]]:
    return _comment(request, "answer", pk, payload)


@router.post("/{int:pk}/vote", response={200: ScoreOut, **ERRORS}, summary="Vote on a question")
def question_vote(request: HttpRequest, pk: int, payload: VoteIn) -> dict[str, int]:
    member = acting(request)
    post = visible_voteable(request, "question", pk)
    return {"score": vote_services.vote_cast(member=member, post=post, value=payload.value)}


@answers_router.post(
    "/{int:pk}/vote", response={200: ScoreOut, **ERRORS}, summary="Vote on an answer"
)
def answer_vote(request: HttpRequest, pk: int, payload: VoteIn) -> dict[str, int]:
    member = acting(request)
    post = visible_voteable(request, "answer", pk)
    return {"score": vote_services.vote_cast(member=member, post=post, value=payload.value)}


@answers_router.post(
    "/{int:pk}/accept",
    response={200: DoneOut, **ERRORS},
    summary="Accept an answer (the asker or staff)",
)
def answer_accept(request: HttpRequest, pk: int) -> dict[str, bool]:
    member = acting(request)
    answer = visible_answer(request, pk)
    answer_services.answer_accept(actor=member, answer=answer)
    return {"done": True}


@router.post("/{int:pk}/follow", response={200: DoneOut, **ERRORS}, summary="Follow a question")
def question_follow(request: HttpRequest, pk: int) -> dict[str, bool]:
    member = acting(request)
    question = visible_question(request, pk)
    follow_services.question_follow(member=member, question=question)
    return {"done": True}


@router.delete(
    "/{int:pk}/follow", response={200: DoneOut, **ERRORS}, summary="Stop following a question"
)
def question_unfollow(request: HttpRequest, pk: int) -> dict[str, bool]:
    member = acting(request)
    question = visible_question(request, pk)
    follow_services.question_unfollow(member=member, question=question)
    return {"done": True}
