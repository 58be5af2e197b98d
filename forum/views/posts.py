"""What every Q&A post has: comments, votes, editing, revisions, deleting and restoring."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.http import AuthenticatedHttpRequest
from members.models import Member
from members.selectors import community_settings_for
from moderation.services import posting_refusal, refusal_reason

from ..forms_qa import CommentForm, PostEditForm, ReasonForm
from ..models import Answer, Comment, Question
from ..permissions import privileges
from ..permissions import questions as perms
from ..permissions.questions import Post
from ..selectors import revisions as revision_selectors
from ..selectors.votes import vote_get_value
from ..services import answers, comments, posts, votes
from ..services.privileges import suggested_edit_create
from .access import (
    post_url,
    redirect_to,
    visible_answer,
    visible_comment,
    visible_post,
    visible_voteable,
)
from .questions import question_edit_view


@login_required
@require_http_methods(["GET", "POST"])
def comment_create_view(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """A comment on a question or an answer. GET gives the form: the question page's "Add a
    comment" loads it in place with htmx (the editor: uploads, preview, mentions), or opens
    it as a page without JavaScript, so the page itself carries no form per post."""
    if kind not in ("question", "answer"):
        raise Http404
    target = visible_voteable(request, kind, pk)
    if request.method == "GET":
        question = target if isinstance(target, Question) else target.question
        perms.check_can_comment(request.user, question)
        refused = posting_refusal(request.user)
        if refused:
            raise PermissionDenied(refused)
        form = CommentForm(auto_id=f"id_comment_{kind}_{pk}_%s")
        template = "forum/_comment_form.html" if request.htmx else "forum/comment_form.html"
        return render(request, template, {"form": form, "target": target, "kind": kind})
    form = CommentForm(request.POST)
    context = {"form": form, "target": target, "kind": kind}
    if not form.is_valid():
        return render(request, "forum/comment_form.html", context, status=400)
    try:
        comment = comments.comment_create(
            author=request.user, target=target, body=form.cleaned_data["body"]
        )
    except PermissionDenied as exc:  # the form again, with their text
        form.add_error(None, refusal_reason(exc))
        return render(request, "forum/comment_form.html", context, status=403)
    if not comment.is_published:
        messages.info(request, _("Your comment is awaiting approval by a moderator."))
    return redirect_to(comment)


VOTE_VALUES = {"up": 1, "down": -1, "none": 0}


@login_required
@require_POST
def vote_view(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ("question", "answer"):
        raise Http404
    value = VOTE_VALUES.get(request.POST.get("value", ""))
    if value is None:
        return HttpResponseBadRequest(_("Unknown vote."))
    post = visible_voteable(request, kind, pk)
    try:
        score = votes.vote_cast(member=request.user, post=post, value=value)
    except PermissionDenied as exc:
        if request.headers.get("HX-Request"):
            return render(
                request,
                "forum/vote_box.html",
                {
                    "user": request.user,
                    "post": post,
                    "kind": kind,
                    "score": post.score,
                    "my_vote": vote_get_value(member=request.user, post=post),
                    "error": str(exc),
                },
                status=403,
                using="jinja2",
            )
        raise
    if request.headers.get("HX-Request"):
        return render(
            request,
            "forum/vote_box.html",
            {"user": request.user, "post": post, "kind": kind, "score": score, "my_vote": value},
            using="jinja2",
        )
    return redirect_to(post)


# --- editing and revisions ----------------------------------------------------------------


def _answer_update(*, actor: Member, post: Answer, body: str, reason: str) -> Answer:
    return answers.answer_update(actor=actor, answer=post, body=body, reason=reason)


def _comment_update(*, actor: Member, post: Comment, body: str, reason: str) -> Comment:
    return comments.comment_update(actor=actor, comment=post, body=body, reason=reason)


# kind → (fetch as the viewer may see it, the service that saves the new text)
_BODY_EDITS: dict[str, tuple[Callable[[HttpRequest, int], Post], Callable[..., Post]]] = {
    "answer": (visible_answer, _answer_update),
    "comment": (visible_comment, _comment_update),
}


@login_required
def post_edit_view(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind == "question":
        return question_edit_view(request, pk)
    if kind not in _BODY_EDITS:
        raise Http404
    fetch, update = _BODY_EDITS[kind]
    post = fetch(request, pk)
    # Others' answers: members at the edit level edit them at once, members at the suggest
    # level suggest an edit (docs/privileges.md). Comments stay their authors'.
    direct = True
    if isinstance(post, Answer):
        levels = community_settings_for(request)
        direct = privileges.can_edit_directly(request.user, post, levels)
        if not direct:
            privileges.check_can_suggest_edit(request.user, post, levels)
    else:
        perms.check_can_edit_post(request.user, post)
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    context = {"form": form, "post": post, "suggest": not direct}
    if request.method == "POST":
        if form.is_valid():
            body, reason = form.cleaned_data["body"], form.cleaned_data["reason"]
            if direct:
                update(actor=request.user, post=post, body=body, reason=reason)
                return redirect_to(post)
            try:
                if not isinstance(post, Answer):  # comments are edited directly (above)
                    raise Http404
                suggested_edit_create(actor=request.user, post=post, body=body, reason=reason)
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.info(request, _("Thank you: your edit waits for a reviewer."))
                return redirect_to(post)
        return render(request, "forum/post_edit.html", context, status=400)
    return render(request, "forum/post_edit.html", context)


@require_GET
def revisions_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = visible_post(request, kind, pk)
    revisions = revision_selectors.revision_list(post)
    return render(
        request,
        "forum/revisions.html",
        {
            "post": post,
            "revisions": revisions,
            "steps": revision_selectors.revision_steps(revisions),
            "post_url": post_url(post),
            "kind": kind,
            "can_revert": isinstance(post, Question | Answer)
            and privileges.can_revert_revision(request.user, post),
        },
    )


# --- deleting and restoring ---------------------------------------------------------------


@login_required
@require_POST
def post_delete_view(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    post = visible_post(request, kind, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    posts.post_delete(actor=request.user, post=post, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Deleted."))
    if kind == "question" and not perms.is_forum_moderator(request.user):
        return redirect("forum:question-list")  # the asker can no longer see it
    return redirect(post_url(post))


@login_required
@require_POST
def post_restore_view(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    post = visible_post(request, kind, pk)
    posts.post_restore(actor=request.user, post=post)
    messages.success(request, _("Restored."))
    return redirect(post_url(post))
