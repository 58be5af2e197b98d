"""The answers of a question page, rendered once for every viewer of the same kind.

Rendering 35 answers with their comments, vote boxes and tools costs tens of milliseconds.
Most of it is the same for every member: only the vote boxes of answers the viewer voted on
and the tools of the viewer's own posts differ. So the section is rendered for a *generic*
viewer of the same kind (signed in or not, moderator or not, may accept, may comment), who
wrote nothing and voted on nothing, and stored under the site generation
(``config.pagecache``: any change made through the site, or any model save, makes it stale)
with the ids of the answers and comments the viewer may see. For the viewer's own posts and
votes, the generic pieces are rendered again and replaced by the viewer's own (exact string
replacement: every piece carries its post's id). CSRF tokens are placeholders until the
page is sent, as in the page cache.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from config.pagecache import CSRF_PLACEHOLDER, cached_fragment, local_members, viewer_kind

from .selectors import questions as selectors
from .structured_data import qapage_jsonld
from .templatetags.forum_tags import comment_tools, post_tools, question_rows, vote_box


class _GenericMember:
    """Signed in, the author of nothing (no post has author id -1)."""

    is_authenticated = True
    is_anonymous = False
    pk = id = -1

    def __init__(self, is_moderator: bool, is_staff: bool = False):
        self.is_moderator = is_moderator
        self.is_staff = is_staff


def _generic_viewer(user):
    if not user.is_authenticated:
        return user
    return _GenericMember(bool(user.is_moderator), bool(user.is_staff))


def question_head(request: HttpRequest, question, *, is_moderator: bool,
                  can_comment: bool) -> SafeString:
    """The question itself (title, body, vote box, tools, follow, comments, feedback form),
    rendered once per kind of viewer and the viewer's follow and feedback state; the vote
    box and the tools of the viewer's own comments are swapped in. Its author, who has more
    tools on it, gets their own render."""
    user = request.user
    context = {"question": question, "is_moderator": is_moderator, "can_comment": can_comment,
               "is_staff": bool(user.is_authenticated and user.is_staff), "request": request}
    if user.is_authenticated and user.pk == question.author_id:
        return SafeString(render_to_string("forum/_question_head.html", context, request))
    generic = {**context, "user": _generic_viewer(user), "csrf_token": CSRF_PLACEHOLDER}

    def render() -> str:
        vote = question.__dict__.pop("my_vote", None)  # the generic viewer's: none
        try:
            return render_to_string("forum/_question_head.html", generic, request)
        finally:
            question.my_vote = vote

    parts = (question.pk, viewer_kind(user), is_moderator, can_comment,
             bool(getattr(question, "is_following", False)),
             bool(getattr(question, "gave_feedback", False)),
             [c.pk for c in question.comment_list])
    html = cached_fragment("question-head", parts, render)
    if user.is_authenticated:
        own = {**generic, "user": user}
        vote = getattr(question, "my_vote", None)
        if vote:
            html = html.replace(vote_box(generic, question, "question", question.score, None),
                                vote_box(own, question, "question", question.score, vote), 1)
        for comment in question.comment_list:
            if comment.author_id == user.pk:
                html = html.replace(comment_tools(generic, comment),
                                    comment_tools(own, comment), 1)
    return SafeString(html)


def question_experts(request: HttpRequest, question, answers: list) -> SafeString:
    """Members who could answer: the same for every viewer (one query when not cached)."""
    ids = ",".join(str(a.author_id) for a in answers)
    return cached_fragment(
        "experts", (question.pk, ids),
        lambda: render_to_string("forum/_experts.html", {
            "experts": selectors.question_experts(question, answers)}, request),
    )


def question_jsonld(question, answers: list) -> SafeString:
    """The page's structured data: only published answers, the same for every viewer."""
    return cached_fragment("jsonld", (question.pk,), lambda: qapage_jsonld(question, answers))


def answers_section(request: HttpRequest, *, answers: list, can_accept: bool,
                    can_comment: bool, is_moderator: bool) -> SafeString:
    user = request.user
    signed_in = user.is_authenticated
    flags = {"signed_in": signed_in, "moderator": is_moderator, "accept": can_accept,
             "comment": can_comment, "user_moderator": bool(signed_in and user.is_moderator),
             "staff": bool(signed_in and user.is_staff)}
    generic = {
        "user": _generic_viewer(user),
        "csrf_token": CSRF_PLACEHOLDER, "is_moderator": is_moderator,
        "can_accept": can_accept, "can_comment": can_comment, "request": request,
    }

    def render() -> str:
        votes = [a.__dict__.pop("my_vote", None) for a in answers]  # the generic viewer's
        try:
            return render_to_string("forum/_answers.html", {**generic, "answers": answers},
                                    request)
        finally:
            for answer, vote in zip(answers, votes, strict=True):
                answer.my_vote = vote

    visible = [(a.pk, [c.pk for c in a.comment_list]) for a in answers]
    html = cached_fragment("answers", (request.get_full_path(), sorted(flags.items()), visible),
                           render)
    if signed_in:
        html = _personalize(html, generic, {**generic, "user": user}, answers)
    return SafeString(html)


def _personalize(html: str, generic: dict, own: dict, answers: list) -> str:
    me = own["user"].pk
    for answer in answers:
        vote = getattr(answer, "my_vote", None)
        if answer.author_id == me or vote:
            html = html.replace(vote_box(generic, answer, "answer", answer.score, None),
                                vote_box(own, answer, "answer", answer.score, vote), 1)
        if answer.author_id == me:
            html = html.replace(post_tools(generic, answer, "answer"),
                                post_tools(own, answer, "answer"), 1)
        for comment in answer.comment_list:
            if comment.author_id == me:
                html = html.replace(comment_tools(generic, comment),
                                    comment_tools(own, comment), 1)
    return html


def question_list_rows(request: HttpRequest, questions) -> SafeString:
    """The rows of a question list page: the same for every viewer of a kind asking for the
    same address, unless the viewer has questions held for moderation (only they see those
    in the list). ``questions`` is the page's lazy queryset: a cached page never runs it."""
    def render() -> str:
        rows = list(questions)
        return question_rows(rows) if rows else render_to_string("forum/_no_questions.html")

    user = request.user
    if user.is_authenticated and not user.is_moderator and local_members.get(
            "has-held-questions", user.pk, lambda: selectors.member_has_held_questions(user)):
        return SafeString(render())
    return cached_fragment("question-rows", (request.get_full_path(), viewer_kind(user)),
                           render)
