"""Fetching what a Q&A action works on, as the viewer may see it: a hidden post and a missing
one are the same 404; a question in a category closed to the viewer is a 403."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from ..models import Answer, Comment, Question
from ..permissions import questions as perms
from ..permissions.questions import Post
from ..selectors import questions as selectors


def visible_question(request: HttpRequest, pk: int) -> Question:
    """A question the viewer may see (404 otherwise; 403 in an ambassador-only category)."""
    question = selectors.question_get_visible(pk=pk, viewer=request.user)
    if question is None:
        raise Http404
    perms.check_can_view_category(request.user, question.category)
    return question


def visible_answer(request: HttpRequest, pk: int) -> Answer:
    """An answer the viewer may see on a question they may see (404 otherwise; 403 in an
    ambassador-only category), in one query."""
    answer = selectors.answer_get_visible(pk=pk, viewer=request.user)
    if answer is None:
        raise Http404
    perms.check_can_view_category(request.user, answer.question.category)
    return answer


def visible_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(selectors.comment_list_visible(request.user), pk=pk)
    target = comment.target
    if isinstance(target, Answer):
        visible_answer(request, target.pk)
    elif isinstance(target, Question):
        visible_question(request, target.pk)
    else:
        raise Http404
    return comment


_FETCH: dict[str, Callable[[HttpRequest, int], Post]] = {
    "question": visible_question,
    "answer": visible_answer,
    "comment": visible_comment,
}


def visible_post(request: HttpRequest, kind: str, pk: int) -> Post:
    """Moderators reach deleted posts too (the visible querysets include them)."""
    fetch = _FETCH.get(kind)
    if fetch is None:
        raise Http404
    return fetch(request, pk)


def visible_voteable(request: HttpRequest, kind: str, pk: int) -> Question | Answer:
    """A question or an answer, what takes votes and comments (any other kind is a 404)."""
    if kind == "question":
        return visible_question(request, pk)
    if kind == "answer":
        return visible_answer(request, pk)
    raise Http404


def post_url(post: Post) -> str:
    if isinstance(post, Comment):
        target = post.target
        if isinstance(target, Question):
            question = target
        elif isinstance(target, Answer):
            question = target.question
        else:  # the commented post is gone: as in visible_comment
            raise Http404
        return f"{question.get_absolute_url()}#comment-{post.pk}"
    return post.get_absolute_url()


def redirect_to(post: Post) -> HttpResponse:
    return redirect(post_url(post))
