"""The pages of the privileges members earn (docs/privileges.md): retag, vote to close or
reopen, review suggested edits, revert a version. Thin: fetch what the viewer may see, call
one service, respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.http import AuthenticatedHttpRequest
from members.selectors import community_settings_for
from moderation.selectors import audit_log_list

from ..forms_qa import CloseVoteForm, DecisionForm, ReasonForm, RetagForm
from ..models import Answer, Question, SuggestedEdit
from ..permissions import privileges as perms
from ..permissions.questions import is_forum_moderator
from ..selectors import privileges as selectors
from ..selectors.revisions import revision_list
from ..services import privileges as services
from .access import post_url, visible_answer, visible_question


@login_required
def question_retag_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    perms.check_can_retag(request.user, question, community_settings_for(request))
    initial = {"tags": ", ".join(t.name for t in question.tags.all())}
    form = RetagForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.question_retag(
                actor=request.user,
                question=question,
                tags=form.cleaned_data["tags"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The tags are changed."))
            return redirect(question.get_absolute_url())
        return render(
            request, "forum/question_retag.html", {"form": form, "question": question}, status=400
        )
    return render(request, "forum/question_retag.html", {"form": form, "question": question})


def _close_page(
    request: AuthenticatedHttpRequest,
    question: Question,
    form: CloseVoteForm,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = {
        "error": error,
        "question": question,
        "form": form,
        "votes": selectors.close_votes_get(question, request.user),
        "needed": community_settings_for(request).close_votes_needed,
    }
    return render(request, "forum/question_close.html", context, status=status)


@login_required
def question_close_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Vote to close (the page shows the reopen vote once the question is closed)."""
    question = visible_question(request, pk)
    perms.check_can_vote_close(request.user, question, community_settings_for(request))
    form = CloseVoteForm(request.POST or None)
    if request.method != "POST":
        return _close_page(request, question, form)
    if form.is_valid():
        data = form.cleaned_data
        original = None
        if data["reason"] == "duplicate":
            original = selectors.question_visible_or_none(request.user, data["duplicate_of"])
            if original is None:
                form.add_error("duplicate_of", _("No such question."))
        if form.is_valid():
            try:
                closed = services.question_close_vote(
                    actor=request.user,
                    question=question,
                    reason=data["reason"],
                    duplicate_of=original,
                    note=data["note"] if data["reason"] == "off_topic" else "",
                )
            except ValidationError as exc:
                form.add_error(
                    "duplicate_of" if data["reason"] == "duplicate" else None, exc.messages[0]
                )
            else:
                messages.success(
                    request,
                    _("The question is closed.") if closed else _("Your vote to close is counted."),
                )
                return redirect(question.get_absolute_url())
    return _close_page(request, question, form, status=400)


@login_required
@require_POST
def question_reopen_vote_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    perms.check_can_vote_close(request.user, question, community_settings_for(request))
    try:
        reopened = services.question_reopen_vote(actor=request.user, question=question)
    except ValidationError as exc:
        return _close_page(request, question, CloseVoteForm(), status=400, error=exc.messages[0])
    messages.success(
        request,
        _("The question is open again.") if reopened else _("Your vote to reopen is counted."),
    )
    return redirect(question.get_absolute_url())


# --- suggested edits ----------------------------------------------------------------------


@login_required
def suggested_edit_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.check_can_review_suggested_edits(request.user, community_settings_for(request))
    rows = selectors.suggested_edit_list_pending(request.user)
    return render(request, "forum/suggested_edits.html", {"rows": rows})


def _suggestion(request: AuthenticatedHttpRequest, pk: int) -> SuggestedEdit:
    perms.check_can_review_suggested_edits(request.user, community_settings_for(request))
    return get_object_or_404(selectors.suggested_edits_visible_to(request.user), pk=pk)


@login_required
def suggested_edit_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    context = {
        "suggestion": suggestion,
        "post": suggestion.target,
        "rows": selectors.suggested_edit_diff(suggestion),
        "form": DecisionForm(),
    }
    return render(request, "forum/suggested_edit.html", context)


def _decide(request: AuthenticatedHttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if approve:
            services.suggested_edit_approve(actor=request.user, suggestion=suggestion, note=note)
        else:
            services.suggested_edit_reject(actor=request.user, suggestion=suggestion, note=note)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Approved.") if approve else _("Rejected."))
    return redirect("forum:suggested-edits")


@login_required
@require_POST
def suggested_edit_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def suggested_edit_reject_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


# --- reverting ----------------------------------------------------------------------------


@login_required
@require_POST
def revision_revert_view(
    request: AuthenticatedHttpRequest, kind: str, pk: int, number: int
) -> HttpResponse:
    post: Question | Answer
    if kind == "question":
        post = visible_question(request, pk)
    elif kind == "answer":
        post = visible_answer(request, pk)
    else:
        raise Http404
    revision = next((r for r in revision_list(post) if r.number == int(number)), None)
    if revision is None:
        raise Http404
    services.revision_revert(actor=request.user, post=post, revision=revision)
    messages.success(request, _("The earlier version is back."))
    return redirect(post_url(post))


@login_required
def audit_entry_revert_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """From the moderation log: a confirmation page, then the revert."""
    entry = get_object_or_404(audit_log_list(request.user), pk=pk)
    if not is_forum_moderator(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        try:
            services.audit_entry_revert(
                actor=request.user, entry=entry, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, _("Reverted."))
            return redirect("moderation:log")
    context = {"entry": entry, "form": form, "revertible": services.audit_entry_revertible(entry)}
    return render(request, "forum/audit_revert.html", context, status=400 if form.errors else 200)
