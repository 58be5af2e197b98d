"""The parts of signed-in pages that are the same for every viewer of a kind, rendered once.

Rendering a question with 35 answers, their comments, vote boxes and tools costs tens of
milliseconds, a list's 20 rows several. Most of it is the same for every member: only the
vote boxes of posts the viewer voted on and the tools of the viewer's own posts differ. So
the question, its answers and list rows are rendered for a *generic* viewer of the same
kind (signed in or not, moderator or not, may accept, may comment), who wrote nothing and
voted on nothing, and stored under the site generation (``config.pagecache``: any change
makes it stale) with the ids of the posts the viewer may see. For the viewer's own posts
and votes, the generic pieces are rendered again and replaced by the viewer's own (exact
string replacement: every piece carries its post's id). CSRF tokens are placeholders until
the page is sent, as in the page cache.
"""

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from config.pagecache import CSRF_PLACEHOLDER, cached_fragment, local_members, viewer_kind
from members.models import Member

from .hooks import QUESTION_PAGE_EXTRAS
from .models import Answer, Question
from .selectors import questions as selectors
from .structured_data import qapage_jsonld
from .templatetags.forum_tags import comment_tools, post_tools, question_rows, vote_box


class _GenericMember:
    """Signed in, the author of nothing (no post has author id -1)."""

    is_authenticated = True
    is_anonymous = False
    pk = id = -1

    def __init__(self, is_moderator: bool, is_staff: bool = False) -> None:
        self.is_moderator = is_moderator
        self.is_staff = is_staff


def _generic_viewer(user: Member | AnonymousUser) -> Member | AnonymousUser | _GenericMember:
    if not user.is_authenticated:
        return user
    return _GenericMember(bool(user.is_moderator), bool(user.is_staff))


def question_head(
    request: HttpRequest, question: Question, *, is_moderator: bool, can_comment: bool
) -> SafeString:
    """The question itself (title, body, vote box, tools, follow, comments, feedback form),
    rendered once per kind of viewer and the viewer's follow and feedback state, then
    personalized like the answers. Its asker, who has more tools on it, gets their own
    render."""
    user = request.user
    context = {
        "question": question,
        "is_moderator": is_moderator,
        "can_comment": can_comment,
        "is_staff": bool(user.is_authenticated and user.is_staff),
        "question_extras": QUESTION_PAGE_EXTRAS,
        "request": request,
    }
    if user.is_authenticated and user.pk == question.author_id:
        return SafeString(render_to_string("forum/_question_head.html", context, request))
    generic = {**context, "user": _generic_viewer(user), "csrf_token": CSRF_PLACEHOLDER}
    parts = (
        question.pk,
        viewer_kind(user),
        is_moderator,
        can_comment,
        bool(getattr(question, "is_following", False)),
        bool(getattr(question, "gave_feedback", False)),
        [c.pk for c in question.comment_list],
    )
    html = cached_fragment(
        "question-head",
        parts,
        lambda: _render_generic("forum/_question_head.html", generic, [question], request),
    )
    return _personalized(html, generic, user, [question], "question")


def question_experts(request: HttpRequest, question: Question, answers: list[Answer]) -> SafeString:
    """Members who could answer: the same for every viewer (one query when not cached)."""
    ids = ",".join(str(a.author_id) for a in answers)
    return cached_fragment(
        "experts",
        (question.pk, ids),
        lambda: render_to_string(
            "forum/_experts.html",
            {"experts": selectors.question_experts(question, answers)},
            request,
        ),
    )


def question_jsonld(question: Question, answers: list[Answer]) -> SafeString:
    """The page's structured data: only published answers, the same for every viewer."""
    return cached_fragment("jsonld", (question.pk,), lambda: qapage_jsonld(question, answers))


def answers_section(
    request: HttpRequest,
    *,
    answers: list[Answer],
    can_accept: bool,
    can_comment: bool,
    is_moderator: bool,
) -> SafeString:
    user = request.user
    generic = {
        "user": _generic_viewer(user),
        "answers": answers,
        "csrf_token": CSRF_PLACEHOLDER,
        "is_moderator": is_moderator,
        "can_accept": can_accept,
        "can_comment": can_comment,
        "request": request,
    }
    visible = [(a.pk, [c.pk for c in a.comment_list]) for a in answers]
    parts = (
        request.get_full_path(),
        viewer_kind(user),
        is_moderator,
        can_accept,
        can_comment,
        visible,
    )
    html = cached_fragment(
        "answers", parts, lambda: _render_generic("forum/_answers.html", generic, answers, request)
    )
    return _personalized(html, generic, user, answers, "answer")


def _render_generic(
    template: str, generic: dict, posts: Sequence[Question | Answer], request: HttpRequest
) -> str:
    """``template`` as the generic viewer sees it: without the viewer's votes on ``posts``."""
    votes = [post.__dict__.pop("my_vote", None) for post in posts]
    try:
        return render_to_string(template, generic, request)
    finally:
        for post, vote in zip(posts, votes, strict=True):
            post.__dict__["my_vote"] = vote


def _personalized(
    html: str,
    generic: dict,
    user: Member | AnonymousUser,
    posts: Sequence[Question | Answer],
    kind: str,
) -> SafeString:
    """The generic render with the viewer's vote boxes and the tools of their own posts and
    comments swapped in (each piece carries its post's id, so the replacement is exact)."""
    if not user.is_authenticated:
        return SafeString(html)
    own = {**generic, "user": user}
    me = user.pk
    for post in posts:
        vote = getattr(post, "my_vote", None)
        if post.author_id == me or vote:
            html = html.replace(
                vote_box(generic, post, kind, post.score, None),
                vote_box(own, post, kind, post.score, vote),
                1,
            )
        if post.author_id == me:
            html = html.replace(post_tools(generic, post, kind), post_tools(own, post, kind), 1)
        for comment in post.comment_list:
            if comment.author_id == me:
                html = html.replace(comment_tools(generic, comment), comment_tools(own, comment), 1)
    return SafeString(html)


def question_list_rows(request: HttpRequest, questions: Iterable[Question]) -> SafeString:
    """The rows of a question list page: the same for every viewer of a kind asking for the
    same address, unless the viewer has questions held for moderation (only they see those
    in the list). ``questions`` is the page's lazy queryset: a cached page never runs it."""

    def render() -> str:
        rows = list(questions)
        return question_rows(rows) if rows else render_to_string("forum/_no_questions.html")

    user = request.user
    if (
        user.is_authenticated
        and not user.is_moderator
        and local_members.get(
            "has-held-questions", user.pk, lambda: selectors.member_has_held_questions(user)
        )
    ):
        return SafeString(render())
    return cached_fragment("question-rows", (request.get_full_path(), viewer_kind(user)), render)
