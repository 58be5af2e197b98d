"""Answering, and accepting an answer as the solution."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.http import AuthenticatedHttpRequest
from moderation.services import refusal_reason
from uploads.registry import draft_key
from uploads.services_drafts import draft_save_quietly
from uploads.widgets import keep_draft

from ..forms_qa import AnswerForm
from ..services import answers as services
from .access import redirect_to, visible_answer, visible_question


@login_required
@require_POST
def answer_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    form = AnswerForm(request.POST)
    key = draft_key("answer", question.pk)
    keep_draft(form, "body", key)
    status = 400
    if form.is_valid():
        try:
            answer = services.answer_create(
                author=request.user, question=question, body=form.cleaned_data["body"]
            )
        except PermissionDenied as exc:  # silenced, locked…: the form again, with their text
            form.add_error(None, refusal_reason(exc))
            status = 403
        else:
            if not answer.is_published:
                messages.info(request, _("Your answer is awaiting approval by a moderator."))
            return redirect_to(answer)
    # Refused: the text comes back in the form and is kept as their draft.
    kept = draft_save_quietly(member=request.user, key=key, body=request.POST.get("body", ""))
    context = {"form": form, "question": question, "draft_kept": kept}
    return render(request, "forum/answer_form.html", context, status=status)


@login_required
@require_POST
def answer_accept_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    answer = visible_answer(request, pk)
    services.answer_accept(actor=request.user, answer=answer)
    return redirect_to(answer)


@login_required
@require_POST
def answer_unaccept_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    answer = visible_answer(request, pk)
    services.answer_unaccept(actor=request.user, question=answer.question)
    return redirect_to(answer)
