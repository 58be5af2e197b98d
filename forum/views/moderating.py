"""Moderator actions on a question: lock, unlock, move, close as a duplicate, reopen."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.http import AuthenticatedHttpRequest

from ..forms_qa import DuplicateForm, MoveForm, ReasonForm
from ..permissions import questions as perms
from ..selectors import questions as selectors
from ..services import questions as services
from .access import visible_question


def _lock(request: AuthenticatedHttpRequest, pk: int, *, locked: bool) -> HttpResponse:
    question = visible_question(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    services.question_lock(
        actor=request.user,
        question=question,
        locked=locked,
        reason=form.cleaned_data.get("reason", ""),
    )
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def question_lock_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _lock(request, pk, locked=True)


@login_required
@require_POST
def question_unlock_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _lock(request, pk, locked=False)


@login_required
def question_move_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    perms.check_can_moderate_forum(request.user)
    form = MoveForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.question_move(
                actor=request.user,
                question=question,
                category=form.cleaned_data["category"],
                reason=form.cleaned_data["reason"],
            )
            return redirect(question.get_absolute_url())
        return render(
            request,
            "forum/question_moderate.html",
            {"form": form, "question": question, "action": "move"},
            status=400,
        )
    return render(
        request,
        "forum/question_moderate.html",
        {"form": form, "question": question, "action": "move"},
    )


@login_required
def question_duplicate_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    perms.check_can_moderate_forum(request.user)
    form = DuplicateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            original = selectors.question_get_or_none(form.cleaned_data["duplicate_of"])
            if original is None:
                form.add_error("duplicate_of", _("No such question."))
            else:
                try:
                    services.question_close_duplicate(
                        actor=request.user,
                        question=question,
                        duplicate_of=original,
                        reason=form.cleaned_data["reason"],
                    )
                    return redirect(question.get_absolute_url())
                except ValidationError as exc:
                    form.add_error("duplicate_of", exc)
        return render(
            request,
            "forum/question_moderate.html",
            {"form": form, "question": question, "action": "duplicate"},
            status=400,
        )
    return render(
        request,
        "forum/question_moderate.html",
        {"form": form, "question": question, "action": "duplicate"},
    )


@login_required
@require_POST
def question_reopen_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    services.question_reopen(actor=request.user, question=question)
    return redirect(question.get_absolute_url())
