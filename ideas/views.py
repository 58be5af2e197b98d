"""Idea board pages. Thin: fetch through a visible queryset, call one service, respond."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.cache import PAGE, SITE, cache_anonymous_page, counted, page_cache_seconds, remember
from config.http import safe_next_url
from config.pagination import KnownCountPaginator
from members.forms import WatchLevelForm
from members.http import AuthenticatedHttpRequest
from moderation.services import refusal_reason
from uploads.registry import draft_key
from uploads.selectors import draft_get
from uploads.services_drafts import draft_save_quietly
from uploads.widgets import keep_draft

from . import permissions as perms
from . import selectors, services
from .filters import IdeaFilter
from .forms import (
    IdeaCommentForm,
    IdeaForm,
    IdeaLinkQuestionForm,
    IdeaReviewForm,
    IdeaStatusForm,
)
from .models import Idea, IdeaStatus
from .services_watching import status_watch_set

IDEAS_PER_PAGE = 20


def _get_idea(request: HttpRequest, pk: int) -> Idea:
    try:
        return selectors.idea_get_detail(request.user, perms.ideas_visible_to(request.user), pk)
    except Idea.DoesNotExist:
        raise Http404(_("No such idea.")) from None


def _back_to(idea: Idea) -> HttpResponse:
    return redirect(idea.get_absolute_url())


def _validation_message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _form_errors(form: forms.Form) -> str:
    # An ErrorList yields its messages as strings (the stubs say ValidationError | str).
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


@require_GET
def _board(request: HttpRequest, *args: object, **kwargs: object) -> tuple[str, ...]:
    return ("ideas",)


@cache_anonymous_page(
    _board,
    {"page": PAGE, "sort": ("top", "trending", "newest"), "status": ("", *IdeaStatus.values)},
)
def idea_list_view(request: HttpRequest) -> HttpResponse:
    filterset = IdeaFilter(
        request.GET, queryset=selectors.idea_list(request.user), viewer=request.user
    )
    # The total kept in the cache (a COUNT over every idea costs ~13 ms on 10,000 ideas),
    # under the board's scope and the site's (a category hidden or shown changes it).
    total = counted(filterset.qs, ("ideas", SITE))
    paginator = KnownCountPaginator(filterset.qs, IDEAS_PER_PAGE, count=total)
    page = paginator.get_page(request.GET.get("page"))
    status = request.GET.get("status", "")
    return render(
        request,
        "ideas/list.html",
        {
            "filter": filterset,
            "sort": filterset.current_sort,
            "page_obj": page,
            "ideas": selectors.idea_mark_votes(request.user, page.object_list),
            "can_review": perms.can_review_ideas(request.user),
            # A member's level for the status they filter by (visitors: none).
            "watch": _status_watch(request, status) if status in IdeaStatus.values else None,
        },
    )


def _status_watch(request: HttpRequest, status: str, *, saved: bool = False) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {
        "action": reverse("ideas:status-watch", kwargs={"status": status}),
        "level": selectors.status_level(request.user, status),
        "form": WatchLevelForm(),
        "saved": saved,
    }


@login_required
@require_POST
def status_watch_view(request: AuthenticatedHttpRequest, status: str) -> HttpResponse:
    """Set the member's level for an idea status (the form beside the board's filter)."""
    form = WatchLevelForm(request.POST)
    if status not in IdeaStatus.values:
        raise Http404
    if not form.is_valid():
        return HttpResponse(status=400)
    status_watch_set(member=request.user, status=status, level=form.cleaned_data["level"])
    if request.htmx:
        watch = _status_watch(request, status, saved=True)
        return render(request, "members/_watch_form.html", {"watch": watch})
    return redirect(f"{reverse('ideas:idea-list')}?status={status}")


@login_required
def idea_new_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    similar: list[Idea] = []
    key = draft_key("idea")
    # An empty form brings back their draft.
    draft = draft_get(member=request.user, key=key) if request.method == "GET" else None
    initial = {"title": draft.title, "description": draft.body} if draft else None
    form = IdeaForm(request.POST or None, member=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = selectors.idea_list_similar(request.user, data["title"])
        if similar and not data["confirmed"]:
            # Without JavaScript the suggestions come here, before the idea is posted.
            form = IdeaForm({**request.POST.dict(), "confirmed": "on"}, member=request.user)
            form.is_valid()
            messages.info(request, _("Similar ideas exist. Vote for one of them, or post yours."))
        else:
            try:
                idea = services.idea_create(
                    actor=request.user,
                    title=data["title"],
                    description=data["description"],
                    category=data["category"],
                )
            except PermissionDenied as exc:  # silenced…: the form again, with their text
                form.add_error(None, refusal_reason(exc))
                status = 403
            else:
                if idea.is_published:
                    messages.success(request, _("Your idea was posted."))
                else:
                    messages.info(request, _("Your idea will appear once a moderator approves it."))
                return _back_to(idea)
    keep_draft(form, "description", key)
    draft_kept = False
    if request.method == "POST" and form.errors:
        status = status if status != 200 else 400
        # Refused: the text comes back in the form and is kept as their draft.
        draft_kept = draft_save_quietly(
            member=request.user,
            key=key,
            title=request.POST.get("title", ""),
            body=request.POST.get("description", ""),
        )
    context = {"form": form, "similar": similar, "draft": draft, "draft_kept": draft_kept}
    return render(request, "ideas/new.html", context, status=status)


@require_GET
def idea_similar_view(request: HttpRequest) -> HttpResponse:
    title = request.GET.get("title", "")[:160]
    return render(
        request,
        "ideas/_similar.html",
        {"similar": selectors.idea_list_similar(request.user, title), "title": title},
    )


@require_GET
@cache_anonymous_page(lambda request, pk, slug="": (f"idea:{pk}",))
def idea_detail_view(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    idea = _get_idea(request, pk)
    if (merged_into := idea.merged_into) is not None:  # no query when merged_into_id is None
        # The idea it was merged into shows the merge note.
        return redirect(merged_into.get_absolute_url(), permanent=True)
    if slug != idea.slug and idea.slug:
        return redirect(idea.get_absolute_url(), permanent=True)
    user = request.user
    return render(
        request,
        "ideas/detail.html",
        {
            "idea": idea,
            "voted": bool(getattr(idea, "viewer_voted", False)),
            "follows": bool(getattr(idea, "viewer_follows", False)),
            "bookmark_id": getattr(idea, "viewer_bookmark", None),
            "idea_type_id": ContentType.objects.get_for_model(Idea).pk,
            "can_vote": perms.can_vote_idea(user, idea),
            "can_follow": perms.can_follow_idea(user, idea),
            "can_comment": perms.can_comment_idea(user, idea),
            "can_change_status": perms.can_change_idea_status(user),
            "history": selectors.idea_status_history(idea),
            "merged_from": selectors.idea_merged_from(idea),
            "comments": selectors.idea_comments(user, idea),
            "linked_questions": selectors.idea_linked_questions(idea),
            "comment_form": IdeaCommentForm(),
            "status_form": IdeaStatusForm(initial={"status": idea.status}),
            "link_form": IdeaLinkQuestionForm(),
        },
    )


def _vote_response(request: AuthenticatedHttpRequest, idea: Idea, voted: bool) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "ideas/_vote_box.html",
            {"idea": idea, "voted": voted, "can_vote": perms.can_vote_idea(request.user, idea)},
        )
    target = safe_next_url(request)
    return redirect(target) if target else _back_to(idea)


@login_required
@require_POST
def idea_vote_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea(request, pk)
    services.idea_vote_cast(actor=request.user, idea=idea)
    return _vote_response(request, idea, True)


@login_required
@require_POST
def idea_unvote_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea(request, pk)
    services.idea_vote_withdraw(actor=request.user, idea=idea)
    return _vote_response(request, idea, False)


@login_required
@require_POST
def idea_follow_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea(request, pk)
    services.idea_follow(actor=request.user, idea=idea)
    messages.success(request, _("You follow this idea now."))
    return _back_to(idea)


@login_required
@require_POST
def idea_unfollow_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea(request, pk)
    services.idea_unfollow(actor=request.user, idea=idea)
    messages.success(request, _("You no longer follow this idea."))
    return _back_to(idea)


@login_required
@require_POST
def idea_comment_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea(request, pk)
    form = IdeaCommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The comment could not be posted: %(errors)s") % {"errors": _form_errors(form)},
        )
        return HttpResponse(status=400) if request.htmx else redirect(idea.get_absolute_url())
    comment = services.idea_comment_add(
        actor=request.user, idea=idea, body=form.cleaned_data["body"]
    )
    if not comment.is_published:
        messages.info(request, _("Your comment will appear once a moderator approves it."))
    return redirect(f"{idea.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
def idea_status_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.check_can_change_idea_status(request.user)
    idea = _get_idea(request, pk)
    form = IdeaStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a status and write a note."), status=400)
    try:
        services.idea_status_change(
            actor=request.user,
            idea=idea,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
        return redirect(idea.get_absolute_url())
    messages.success(request, _("Status changed; voters and followers were told."))
    return redirect(idea.get_absolute_url())


@require_GET
@cache_anonymous_page(_board)
def idea_roadmap_view(request: HttpRequest) -> HttpResponse:
    """The columns are the same for everyone who sees the same categories: one render per
    language and kind, kept under the scopes of the visitors' page."""
    user = request.user

    def columns() -> str:
        found = selectors.idea_list_roadmap(user)
        rows = [(IdeaStatus(status), status.label, ideas) for status, ideas in found.items()]
        return render_to_string("ideas/_roadmap_columns.html", {"columns": rows}, request)

    key = f"veche:roadmap:{get_language()}:{int(perms.sees_ambassador_space(user))}"
    html = remember(key, (SITE, *_board(request)), columns, page_cache_seconds())
    return render(request, "ideas/roadmap.html", {"columns_html": html})


@require_GET
@cache_anonymous_page(_board, {"page": PAGE})
def idea_changelog_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.idea_list_shipped(request.user), IDEAS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "ideas/changelog.html", {"page_obj": page})


@login_required
def idea_review_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    perms.check_can_review_ideas(request.user)
    page = Paginator(selectors.idea_list_for_review(request.user), IDEAS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "ideas/review.html", {"page_obj": page, "form": IdeaReviewForm()})


@login_required
@require_POST
def idea_review_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    perms.check_can_review_ideas(request.user)
    idea = _get_idea(request, pk)
    form = IdeaReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("ideas:idea-review")
    data = form.cleaned_data
    try:
        if data["action"] == "accept":
            services.idea_review_accept(actor=request.user, idea=idea, note=data["note"])
            messages.success(request, _("“%(title)s” is under review.") % {"title": idea.title})
        elif data["action"] == "decline":
            services.idea_review_decline(actor=request.user, idea=idea, note=data["note"])
            messages.success(request, _("“%(title)s” was declined.") % {"title": idea.title})
        else:
            target = _get_idea(request, data["merge_into"])
            services.idea_merge(actor=request.user, source=idea, target=target, note=data["note"])
            messages.success(request, _("Merged into “%(title)s”.") % {"title": target.title})
            if request.POST.get("return") == "idea":
                return _back_to(target)  # merged from the idea's own page
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    return redirect("ideas:idea-review")


@login_required
@require_GET
def idea_merge_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Choose the idea to merge this one into, found by its title (a GET search, no script)."""
    perms.check_can_review_ideas(request.user)
    idea = _get_idea(request, pk)
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "ideas/merge.html",
        {
            "idea": idea,
            "query": query,
            "candidates": selectors.idea_list_merge_candidates(request.user, idea, query),
        },
    )


@login_required
@require_POST
def idea_link_question_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    idea = _get_idea(request, pk)
    form = IdeaLinkQuestionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Give a question number."), status=400)
    question = selectors.question_for_link(request.user, form.cleaned_data["question"])
    if question is None:
        raise Http404(_("No such question."))
    try:
        services.idea_link_question(actor=request.user, idea=idea, question=question)
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
    else:
        messages.success(request, _("The question is linked to this idea."))
    return _back_to(idea)


@login_required
@require_POST
def idea_from_question_view(request: AuthenticatedHttpRequest, question_pk: int) -> HttpResponse:
    question = selectors.question_for_link(request.user, question_pk)
    if question is None:
        raise Http404(_("No such question."))
    perms.check_can_turn_question_into_idea(request.user, question)
    try:
        idea = services.idea_from_question(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, _validation_message(exc))
        return redirect(question.get_absolute_url())
    messages.success(request, _("The question is now an idea; its people vote for it."))
    return _back_to(idea)
