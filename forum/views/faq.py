"""FAQ pages, staff editing, promotion of solved questions, and the feedback forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.cache import SITE, cache_anonymous_page, page_cache_seconds, remember
from config.http import csrf_for_members_only
from members.http import AuthenticatedHttpRequest
from members.models import Member

from ..forms_qa import FaqEntryForm, FeedbackForm
from ..models import FaqEntry, Question
from ..permissions import questions as perms
from ..selectors import faq as selectors
from ..services import faq as services
from .access import visible_question


def _faq(request: HttpRequest, *args: object, **kwargs: object) -> tuple[str, ...]:
    return ("faq",)


def _faq_groups(request: HttpRequest, can_manage: bool) -> str:
    context = {
        "entries": selectors.faq_list_titles(request.user),
        "can_manage": can_manage,
        "today": timezone.localdate(),
    }
    return render_to_string("forum/faq_groups.html", context, request, using="jinja2")


@require_GET
@cache_anonymous_page(_faq)
def faq_view(request: HttpRequest) -> HttpResponse:
    can_manage = perms.can_manage_faq(request.user)
    if can_manage:  # drafts, review dates and edit links: rendered for them
        groups = _faq_groups(request, can_manage)
    else:  # the same for every member who sees the same categories (docs/caching.md)
        private = perms.can_see_private_categories(request.user)
        groups = remember(
            f"veche:faq-groups:{get_language()}:{int(private)}",
            ("faq", SITE),
            lambda: _faq_groups(request, can_manage),
            page_cache_seconds(),
        )
    return render(request, "forum/faq.html", {"groups": groups, "can_manage": can_manage})


def _count_faq_view(request: HttpRequest, pk: int, slug: str = "") -> None:
    services.faq_view_record(entry_id=pk)


@require_GET
@cache_anonymous_page(_faq, on_hit=_count_faq_view)
def faq_detail_view(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    entry = get_object_or_404(selectors.faq_list_for(request.user), pk=pk)
    services.faq_view_record(entry_id=entry.pk)
    return render(
        request,
        "forum/faq_detail.html",
        {
            "entry": entry,
            "can_manage": perms.can_manage_faq(request.user),
            "outdated": entry.is_outdated(),
            "feedback_given": selectors.feedback_given(
                member=request.user if isinstance(request.user, Member) else None,
                session_key=request.session.session_key,
                faq_entry=entry,
            ),
        },
    )


def _faq_form_page(
    request: HttpRequest, form: FaqEntryForm, entry: FaqEntry | None, *, status: int = 200
) -> HttpResponse:
    return render(request, "forum/faq_edit.html", {"form": form, "entry": entry}, status=status)


@login_required
def faq_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.check_can_manage_faq(request.user)
    form = FaqEntryForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            entry = services.faq_entry_create(actor=request.user, **form.cleaned_data)
            return redirect(entry.get_absolute_url())
        return _faq_form_page(request, form, None, status=400)
    return _faq_form_page(request, form, None)


@login_required
def faq_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.check_can_manage_faq(request.user)
    entry = get_object_or_404(selectors.faq_list_for(request.user), pk=pk)
    form = FaqEntryForm(request.POST or None, instance=entry)
    if request.method == "POST":
        if form.is_valid():
            entry = services.faq_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
            return redirect(entry.get_absolute_url())
        return _faq_form_page(request, form, entry, status=400)
    return _faq_form_page(request, form, entry)


@login_required
@require_POST
def faq_promote_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    perms.check_can_manage_faq(request.user)
    try:
        entry = services.faq_entry_promote(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(question.get_absolute_url())
    messages.success(request, _("The question is now an FAQ entry."))
    return redirect(entry.get_absolute_url())


@csrf_for_members_only
@require_POST
def feedback_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    question: Question | None = None
    entry: FaqEntry | None = None
    if kind == "question":
        question = visible_question(request, pk)
        back = question.get_absolute_url()
    elif kind == "faq":
        entry = get_object_or_404(selectors.faq_list_for(request.user), pk=pk)
        back = entry.get_absolute_url()
    else:
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forum/feedback_invalid.html", {"form": form, "back": back}, status=400
        )
    if not request.session.session_key:
        request.session.create()  # feedback without an account is counted once per session
    recorded = services.feedback_record(
        member=request.user if request.user.is_authenticated else None,
        session_key=request.session.session_key or "",
        helpful=form.cleaned_data["helpful"],
        would_have_contacted_support=form.cleaned_data["would_have_contacted_support"],
        question=question,
        faq_entry=entry,
    )
    if request.headers.get("HX-Request"):
        return render(request, "forum/_feedback_thanks.html", {"already": recorded is None})
    if recorded is None:  # one answer per member (or session) and page: a repeat is not counted
        messages.info(request, _("You have already answered; thank you."))
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect(back)
