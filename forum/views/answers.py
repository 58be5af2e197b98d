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

from ..forms_qa import AnswerForm
from ..services import answers as services
from .access import redirect_to, visible_answer, visible_question


@login_required
@require_POST
def answer_create_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forum/answer_form.html", {"form": form, "question": question}, status=400
        )
    try:
        answer = services.answer_create(
            author=request.user, question=question, body=form.cleaned_data["body"]
        )
    except PermissionDenied as exc:  # silenced, locked…: the form again, with their text
        form.add_error(None, refusal_reason(exc))
        context = {"form": form, "question": question}
        return render(request, "forum/answer_form.html", context, status=403)
    if not answer.is_published:
        messages.info(request, _("Your answer is awaiting approval by a moderator."))
    return redirect_to(answer)


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
