"""Question pages: the lists, asking, the question page, editing and following.
Thin: fetch through a visible queryset, call one service, respond."""

from types import SimpleNamespace
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.cache import (
    PAGE,
    SITE,
    Params,
    cache_anonymous_page,
    counted,
    page_cache_seconds,
    page_shows,
    query_key,
    remember,
)
from config.db import prepared
from config.http import safe_next_url
from config.jinja2 import Shared, fill_holes, render_with_holes
from config.pagination import KnownCountPaginator
from members.http import AuthenticatedHttpRequest
from members.selectors import community_settings_for
from moderation import services as moderation
from moderation.content import ModerationState
from moderation.templatetags.moderation_tags import flag_returns_to
from uploads.registry import draft_key
from uploads.selectors import draft_get, draft_get_known
from uploads.services_drafts import draft_save_quietly
from uploads.widgets import keep_draft

from ..filters_qa import QuestionFilter
from ..forms_qa import AnswerForm, QuestionEditForm, QuestionForm, question_edit_initial
from ..hooks import QUESTION_PAGE_EXTRAS
from ..models import Category, Question, Tag
from ..permissions import privileges
from ..permissions import questions as perms
from ..permissions.privileges import question_privileges
from ..selectors import questions as selectors
from ..selectors.search_sources import similar_questions
from ..selectors.watching import (
    question_list_unmuted,
    sees_visitors_lists,
    unread_markers,
    watch_scope,
)
from ..services import deflection, follows
from ..services import privileges as privilege_services
from ..services import questions as services
from ..services.watching import question_visit_record
from ..structured_data import qapage_jsonld
from .access import visible_question
from .watching import watch_form_context

PAGE_SIZE = 20
# The list queries a visitor's cached page may answer (any other renders without the cache).
LIST_PARAMS: Params = {
    "page": PAGE,
    "sort": ("newest", "active", "votes"),
    "status": ("", "unanswered", "unsolved", "solved", "needs-staff"),
}


def _lists(request: HttpRequest, *args: object, **kwargs: object) -> tuple[str, ...]:
    return ("questions",)


# --- lists --------------------------------------------------------------------------------


def _visitors_list(
    request: HttpRequest, public: QuerySet[Question] | None, categories: QuerySet[Category]
) -> QuestionFilter | None:
    """The visitors' filtered list, for a member who sees what visitors see besides their own
    questions awaiting approval (``sees_visitors_lists``); else ``None``."""
    user = request.user
    if public is None or not user.is_authenticated or not sees_visitors_lists(user):
        return None
    return QuestionFilter(request.GET, queryset=public, categories=categories)


def _list_total(
    request: HttpRequest, filterset: QuestionFilter, visitors: QuestionFilter | None, held: bool
) -> int:
    """The list's total, kept in the cache (``counted``). A member who sees the visitors' list
    (``_visitors_list``) gets the visitors' total, shared by all of them, and, if they have
    questions awaiting approval (``held``), a count of those (an index on the author). Others:
    their own total, under their own scope too (the topics they mute change it). The visitors'
    total is named by its address and status (``query_key``: compiling the SQL for a key costs
    ~1 ms), shared by every order and page."""
    user, name = request.user, query_key(request, LIST_PARAMS, only=("status",))
    name = f"visitors:{name}" if name else ""  # else (an undeclared query) by its SQL
    if not user.is_authenticated:  # the visitors' list
        return counted(filterset.qs, ("questions",), name)
    if visitors is not None:
        total = counted(visitors.qs, ("questions",), name)
        if held:
            own = filterset.qs.filter(
                author=user, moderation_state=ModerationState.HELD, deleted_at__isnull=True
            )
            total += counted(own, ("questions",))
        return total
    return counted(filterset.qs, ("questions", watch_scope(user.pk)))


def _rows_shared_with_visitors(
    request: HttpRequest, page_obj: Page, name: str
) -> tuple[list[int], Shared]:
    """A page of the visitors' list (``page_obj``, named by its address and declared query:
    ``query_key``) rendered once for every member who sees it, kept under ``questions`` and
    the rows shown: the rows' ids, and the rows with each unread marker a hole
    (config.jinja2.render_with_holes)."""

    def load() -> tuple[list[int], Shared]:
        rows = list(page_obj.object_list)
        shared = render_with_holes("forum/question_rows.html", {"rows": rows}, request)
        return [question.pk for question in rows], shared

    return remember(
        f"veche:rows:visitors:{name}:{page_obj.number}:{get_language()}",
        (SITE, "questions"),
        load,
        page_cache_seconds(),
        shown=lambda loaded: [f"question:{pk}" for pk in loaded[0]],
    )


def _visitor_shape(request: HttpRequest, filterset: QuestionFilter) -> dict | None:
    """What names a visitor's page of the main list among its compiled reads
    (``visitor_list_rows``): status, order and category. ``None`` for a member, a filter by
    tag or an invalid filter."""
    if request.user.is_authenticated or not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    if data["tag"]:
        return None
    category = data["category"]
    return {
        "status": data["status"],
        "sort": data["sort"],
        "category_id": category.pk if category is not None else None,
    }


def _question_list(
    request: HttpRequest,
    *,
    base: QuerySet[Question] | None = None,
    public: QuerySet[Question] | None = None,
    extra: dict | None = None,
    template: str = "forum/question_list.html",
    main: bool = False,
) -> HttpResponse:
    """A list page. ``main``: the main list (a visitor's page of it is a compiled read)."""
    user = request.user
    categories = perms.categories_visible_to(user)
    queryset = base if base is not None else selectors.question_list_for(user)
    filterset = QuestionFilter(request.GET, queryset=queryset, categories=categories)
    visitors = _visitors_list(request, public, categories)
    # Whether the member has questions awaiting approval (kept in the cache: no query).
    held = (
        user.is_authenticated and visitors is not None and selectors.member_has_held_questions(user)
    )
    total = _list_total(request, filterset, visitors, held)
    name = None
    if visitors is not None and not held and page_cache_seconds() > 0:
        # A member whose list is the visitors' to the row shares its render (with holes), for
        # the declared queries only (bounded variants; None: an undeclared one). Their own
        # filtered queryset is then not built (the filter form needs none).
        name = query_key(request, LIST_PARAMS)
    number, rows_loaded = request.GET.get("page"), None
    shape = _visitor_shape(request, filterset) if main else None
    if shape is not None:  # the page's rows from its compiled read
        page_obj = KnownCountPaginator(range(total), PAGE_SIZE, count=total).get_page(number)
        span = cast(range, page_obj.object_list)
        rows_loaded = (
            selectors.visitor_list_rows(**shape, bottom=span.start, top=span.stop) if span else []
        )
    if rows_loaded is None:
        listed = visitors.qs if visitors is not None and name is not None else filterset.qs
        page_obj = KnownCountPaginator(listed, PAGE_SIZE, count=total).get_page(number)
    else:
        page_obj.object_list = rows_loaded
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        # The filter's categories from the cache (its model choice field queries them).
        "category_choices": selectors.category_choices_for(user),
    }
    if name is not None:
        ids, rows = _rows_shared_with_visitors(request, page_obj, name)
        unread = unread_markers(user, ids)

        def own(hole: tuple) -> bool:  # the holes this member fills: their unread markers
            return hole[1] in unread

        holes = "forum/question_rows_holes.html"
        context["rows_html"] = fill_holes(rows, own, holes, {"unread": unread}, request)
    else:
        if rows_loaded is None:
            with prepared(Question):  # the rows and their tags: planned once per connection
                rows_loaded = list(page_obj.object_list)
        context["rows"] = rows_loaded
        # The page is stale for visitors when any of its rows changes (a vote, an answer).
        page_shows(request, [f"question:{question.pk}" for question in rows_loaded])
        ids = [question.pk for question in rows_loaded]
        context["unread"] = unread_markers(user, ids)  # members only: {} for visitors
    # The names a list page asks for, none where this list has none (a missing name costs
    # Django's template engine an exception at each use: ~70 µs a page).
    shown = {"tag": None, "category": None, "watch": None, "rows_html": None}
    return render(request, template, {**shown, **context, **(extra or {})})


@require_GET
@cache_anonymous_page(_lists, LIST_PARAMS)
def question_list_view(request: HttpRequest) -> HttpResponse:
    """The main list: without the tags and categories the member muted."""
    base = question_list_unmuted(selectors.question_list_for(request.user), request.user)
    # What visitors see, for a member's total (a visitor's list is it already).
    public = selectors.question_list_for(AnonymousUser()) if request.user.is_authenticated else None
    return _question_list(request, base=base, public=public, main=True)


@require_GET
@cache_anonymous_page(_lists, LIST_PARAMS)
def tag_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A tag's questions, muted or not: the member opened it."""
    tag = get_object_or_404(Tag, slug=slug)
    base = selectors.question_list_tagged(request.user, tag)
    public = (
        selectors.question_list_tagged(AnonymousUser(), tag)
        if request.user.is_authenticated
        else None
    )
    extra = {"tag": tag, "watch": watch_form_context(request, tag=tag)}
    return _question_list(request, base=base, public=public, extra=extra)


@require_GET
@cache_anonymous_page(_lists, LIST_PARAMS)
def category_view(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    perms.check_can_view_category(request.user, category)
    base = selectors.question_list_in_category(request.user, category)
    public = (
        selectors.question_list_in_category(AnonymousUser(), category)
        if request.user.is_authenticated
        else None
    )
    extra = {"category": category, "watch": watch_form_context(request, category=category)}
    return _question_list(request, base=base, public=public, extra=extra)


# --- asking -------------------------------------------------------------------------------


def _ask_visit(request: HttpRequest) -> str:
    """The token of this visit to the ask form, carried by the form and the suggestions."""
    token = request.POST.get("ask_visit") or request.GET.get("ask_visit") or ""
    return token if deflection.ask_visit_token_valid(token) else deflection.ask_visit_token()


@login_required
def question_ask_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    categories = perms.categories_visible_to(request.user)
    question_draft = draft_key("question")
    # An empty form (not one opened with a title from the search) brings back their draft.
    draft = None
    if request.method == "GET" and not request.GET.get("title"):
        draft = draft_get(member=request.user, key=question_draft)
    initial = {"title": request.GET.get("title", "")}
    if draft is not None:
        initial = {"title": draft.title, "body": draft.body}
    form = QuestionForm(request.POST or None, categories=categories, initial=initial)
    keep_draft(form, "body", question_draft)
    status = 200
    draft_kept = False
    refused = moderation.posting_refusal(request.user)
    visit = _ask_visit(request)
    similar = similar_questions(request.GET.get("title", ""), viewer=request.user)
    if similar:
        deflection.ask_visit_suggestions_shown(member=request.user, token=visit)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.question_create(
                    author=request.user,
                    category=data["category"],
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                )
            except PermissionDenied as exc:  # the form comes back with what they typed
                refused, status = moderation.refusal_reason(exc), 403
            else:
                deflection.ask_visit_posted(member=request.user, token=visit, question=question)
                if not question.is_published:
                    messages.info(request, _("Your question is awaiting approval by a moderator."))
                return redirect(question.get_absolute_url())
        # Refused (a form error, silenced…): what they typed is kept as their draft.
        draft_kept = draft_save_quietly(
            member=request.user,
            key=question_draft,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    context = {
        "draft": None if refused else draft,
        "draft_kept": draft_kept,
        "form": form,
        "similar": similar,
        "ask_visit": visit,
        "posting_refused": refused,
        "held_posts": 0 if refused else moderation.posts_held_for_review(request.user),
    }
    return render(request, "forum/question_ask.html", context, status=status)


@require_GET
def question_similar_view(request: HttpRequest) -> HttpResponse:
    """Suggestions while the title is typed: a partial for htmx, a full page otherwise."""
    title = request.GET.get("title", "")[:200]
    similar = similar_questions(title, viewer=request.user)
    visit = _ask_visit(request) if request.user.is_authenticated else ""
    if similar and visit:
        deflection.ask_visit_suggestions_shown(member=request.user, token=visit)
    template = "forum/_similar.html" if request.headers.get("HX-Request") else "forum/similar.html"
    return render(request, template, {"similar": similar, "title": title, "ask_visit": visit})


@require_GET
def question_suggestion_open_view(request: HttpRequest) -> HttpResponse:
    """A suggestion opened from the ask form: counted for the visit, then the suggestion."""
    if request.user.is_authenticated:
        deflection.ask_visit_suggestion_opened(
            member=request.user, token=request.GET.get("ask_visit", "")
        )
    return redirect(safe_next_url(request, fallback=reverse("forum:question-ask")))


# --- the question page --------------------------------------------------------------------


def _count_question_view(request: HttpRequest, pk: int, slug: str = "") -> None:
    services.question_view_record(question_id=pk)


def _question(request: HttpRequest, pk: int, slug: str = "") -> tuple[str, ...]:
    return (f"question:{pk}",)


@require_GET
@cache_anonymous_page(_question, on_hit=_count_question_view)
def question_detail_view(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    try:
        question, answers = selectors.question_page_data(pk=pk, viewer=request.user)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    perms.check_can_view_category(request.user, question.category)
    if slug != question.url_slug:
        return redirect(question.get_absolute_url(), permanent=True)
    user = request.user
    # The view count and, for a member, the lists' unread markers.
    question_visit_record(question=question, member=user if user.is_authenticated else None)
    is_moderator = perms.is_forum_moderator(user)
    # A member who may not post now (silenced, rules to re-accept…) is told why instead of
    # being shown forms that would refuse what they type.
    refused = moderation.posting_refusal(user)
    can_comment = perms.can_comment(user, question) and not refused
    can_answer = perms.can_answer(user, question)
    answer_form, answer_draft = None, None
    if can_answer:
        # The editor (uploads, preview) of the answer box, with the member's draft of an
        # answer here if they have one (asked only when the cached set of their drafts holds
        # it: no query otherwise).
        answer_draft_key = draft_key("answer", question.pk)
        answer_draft = draft_get_known(member=user, key=answer_draft_key)
        initial = {"body": answer_draft.body} if answer_draft else None
        answer_form = AnswerForm(
            auto_id="id_answer_%s",
            initial=initial,
            # The @ picker offers members with expertise in the question's tags first.
            mention_tags=[tag.slug for tag in question.tags.all()],
        )
        keep_draft(answer_form, "body", answer_draft_key)
    levels = community_settings_for(request)
    context = {
        "question": question,
        "answers": answers,
        "can_answer": can_answer,
        "answer_form": answer_form,
        "answer_draft": answer_draft,
        "posting_refused": refused,
        "can_accept": perms.can_accept_answer(user, question),
        "can_comment": can_comment,
        "is_moderator": is_moderator,
        "is_staff": bool(user.is_authenticated and user.is_staff),
        # What the viewer's trust level earns here (docs/privileges.md), without a query.
        "privileges": question_privileges(user, question, levels),
        "can_improve": privileges.can_improve(user, levels),
        "question_extras": QUESTION_PAGE_EXTRAS,
        "question_type_id": ContentType.objects.get_for_model(Question).pk,
        # Members who could answer, as advice: kept per set of tags (config.cache.remember),
        # asked only if the page renders them (the members' shared render holds them).
        "experts": SimpleLazyObject(lambda: selectors.question_experts(question, answers)),
    }
    shared = _shared_by_members(request, context)
    context["head_html"], context["answers_html"], jsonld, context["experts_html"] = shared
    # The same for every viewer (published answers): kept under the question's scope, with
    # the members' shared render where there is one (one cache trip less).
    context["jsonld"] = jsonld or remember(
        f"veche:jsonld:{question.pk}",
        (f"question:{question.pk}", SITE),
        lambda: qapage_jsonld(question, answers),
        page_cache_seconds(),
    )
    return render(request, "forum/question_detail.html", context)


# The member a render shared by members is made for: signed in, the author of nothing, no vote,
# no moderator. A member's own posts and votes are its holes (config.jinja2.render_with_holes).
EVERY_MEMBER = SimpleNamespace(pk=0, is_authenticated=True, is_moderator=False, is_staff=False)


def _shared_by_members(request: HttpRequest, context: dict) -> tuple[str, str, str, str]:
    """The question and its answers as members see them, rendered once per load of the
    question's data, language, "may comment" and "may improve" (kept under the question's
    scope), with each member's own posts, votes, follow and bookmark rendered again and their
    CSRF token put in; and the page's structured data and "members who could answer", kept
    with them (no cache trip of their own). ``("", "", "", "")`` where
    the page is not the one every member sees (moderators, the asker who may accept, a member
    with posts held here) or the cache is off: the page renders them itself."""
    question, answers, user = context["question"], context["answers"], request.user
    if (
        not user.is_authenticated
        or not getattr(question, "page_load", "")  # not the data every visitor sees
        or context["is_moderator"]
        or context["can_accept"]
        or page_cache_seconds() <= 0
    ):
        return "", "", "", ""
    flag_returns_to(request, request.path)  # the shared flag links carry no member's query
    # Under the name of the data's load: a render made from data a change has just replaced
    # is kept under that old load, which is never served again.
    kind = f"{int(context['can_comment'])}{int(context['can_improve'])}"
    # ``:4``: its four parts (a value of an earlier release, in three, is never read).
    key = f"veche:question-shared:{question.pk}:{question.page_load}:{get_language()}:{kind}:4"

    def load() -> tuple[Shared, Shared, str, str]:
        every = {**context, "user": EVERY_MEMBER}
        experts = {"experts": context["experts"]}  # the same for every member
        return (
            render_with_holes("forum/question_head.html", every, request),
            render_with_holes("forum/answers.html", every, request),
            qapage_jsonld(question, answers),
            render_to_string("forum/experts.html", experts, request, using="jinja2"),
        )

    scopes = (f"question:{question.pk}", SITE)  # the experts' own scope is ``site``
    head, shared, jsonld, experts = remember(key, scopes, load, page_cache_seconds())
    posts_by_key = {f"question-{question.pk}": question}
    posts_by_key.update((f"comment-{c.pk}", c) for c in question.comment_list)
    for answer in answers:
        posts_by_key[f"answer-{answer.pk}"] = answer
        posts_by_key.update((f"comment-{c.pk}", c) for c in answer.comment_list)

    def own(hole: tuple) -> bool:
        if hole[0] == "member":  # follow, bookmark, extras: every member's own
            return True
        post = posts_by_key[f"{hole[1]}-{hole[2]}"]
        return post.author_id == user.pk or (hole[0] == "vote" and bool(post.my_vote))

    fill = {**context, "user": user, "posts_by_key": posts_by_key}
    holes = "forum/answers_holes.html"
    return (
        fill_holes(head, own, holes, fill, request),
        fill_holes(shared, own, holes, fill, request),
        jsonld,
        SafeString(experts),
    )


def question_short_view(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(reverse("forum:question-detail", kwargs={"pk": pk, "slug": "-"}))


# --- editing and following ----------------------------------------------------------------


@login_required
def question_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author, moderators and members at the edit level edit at once; members at the
    suggest level send a suggested edit (docs/privileges.md); anyone else gets a 403."""
    question = visible_question(request, pk)
    levels = community_settings_for(request)
    direct = privileges.can_edit_directly(request.user, question, levels)
    if not direct:
        privileges.check_can_suggest_edit(request.user, question, levels)
    form = QuestionEditForm(request.POST or None, initial=question_edit_initial(question))
    context = {"form": form, "post": question, "suggest": not direct}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if direct:
                services.question_update(
                    actor=request.user,
                    question=question,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    reason=data["reason"],
                )
                return redirect(question.get_absolute_url())
            try:
                privilege_services.suggested_edit_create(
                    actor=request.user,
                    post=question,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.info(request, _("Thank you: your edit waits for a reviewer."))
                return redirect(question.get_absolute_url())
        return render(request, "forum/post_edit.html", context, status=400)
    return render(request, "forum/post_edit.html", context)


@login_required
@require_POST
def question_follow_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    follows.question_follow(member=request.user, question=question)
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def question_unfollow_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = visible_question(request, pk)
    follows.question_unfollow(member=request.user, question=question)
    return redirect(question.get_absolute_url())
