"""Q&A pages and actions. Thin: fetch through a visible queryset, call one service, respond."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.pagecache import cache_anonymous_page, cached_fragment, viewer_kind
from config.pagination import CachedCountPaginator

from .. import page_fragments
from ..filters_qa import QuestionFilter
from ..forms_qa import (
    AnswerForm,
    CommentForm,
    DuplicateForm,
    MoveForm,
    PostEditForm,
    QuestionEditForm,
    QuestionForm,
    ReasonForm,
)
from ..models import Answer, Category, Comment, Question, Tag
from ..permissions import questions as perms
from ..selectors import questions as selectors
from ..services import questions as services

PAGE_SIZE = 20


def _page(request: HttpRequest, queryset):
    return CachedCountPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _visible_question(request: HttpRequest, pk: int) -> Question:
    """A question the viewer may see (404 otherwise; 403 in an ambassador-only category)."""
    question = (
        perms.question_visible_any_category(request.user)
        .select_related("category", "author")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    perms.check_can_view_category(request.user, question.category)
    return question


def _visible_answer(request: HttpRequest, pk: int) -> Answer:
    answer = get_object_or_404(
        perms.answers_visible_to(request.user).select_related(
            "question", "author", "question__category"
        ),
        pk=pk,
    )
    _visible_question(request, answer.question_id)
    return answer


def _visible_comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(perms.comments_visible_to(request.user), pk=pk)
    target = comment.target
    if isinstance(target, Answer):
        _visible_answer(request, target.pk)
    elif isinstance(target, Question):
        _visible_question(request, target.pk)
    else:
        raise Http404
    return comment


def _post_url(post) -> str:
    if isinstance(post, Comment):
        target = post.target
        question = target if isinstance(target, Question) else target.question
        return f"{question.get_absolute_url()}#comment-{post.pk}"
    return post.get_absolute_url()


# --- lists --------------------------------------------------------------------------------


def _question_list(
    request: HttpRequest,
    *,
    base=None,
    extra: dict | None = None,
    template: str = "forum/question_list.html",
) -> HttpResponse:
    categories = perms.categories_visible_to(request.user)
    queryset = base if base is not None else selectors.question_list_for(request.user)
    filterset = QuestionFilter(request.GET, queryset=queryset, categories=categories)
    page_obj = _page(request, filterset.qs)
    # The form is the same for every viewer of a kind asking the same thing (its category
    # choices follow the kind's rights): rendered once.
    form_html = cached_fragment(
        "question-filter", (request.GET.urlencode(), viewer_kind(request.user)), filterset.form.as_p
    )
    rows_html = page_fragments.question_list_rows(request, page_obj.object_list)
    return render(
        request,
        template,
        {
            "filter": filterset,
            "filter_form_html": form_html,
            "page_obj": page_obj,
            "rows_html": rows_html,
            **(extra or {}),
        },
    )


@require_GET
@cache_anonymous_page()
def question_list_view(request: HttpRequest) -> HttpResponse:
    return _question_list(request)


@require_GET
@cache_anonymous_page()
def tag_view(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    base = selectors.question_list_for(request.user).filter(tags=tag)
    return _question_list(request, base=base, extra={"tag": tag})


@require_GET
@cache_anonymous_page()
def category_view(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    perms.check_can_view_category(request.user, category)
    base = selectors.question_list_for(request.user).filter(category=category)
    return _question_list(request, base=base, extra={"category": category})


# --- asking -------------------------------------------------------------------------------


@login_required
def question_ask_view(request: HttpRequest) -> HttpResponse:
    categories = perms.categories_visible_to(request.user)
    form = QuestionForm(
        request.POST or None, categories=categories, initial={"title": request.GET.get("title", "")}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            question = services.question_create(
                author=request.user,
                category=data["category"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
            )
            if not question.is_published:
                messages.info(request, _("Your question is awaiting approval by a moderator."))
            return redirect(question.get_absolute_url())
        status = 400
    similar = selectors.similar_questions(request.GET.get("title", ""), viewer=request.user)
    return render(
        request, "forum/question_ask.html", {"form": form, "similar": similar}, status=status
    )


@require_GET
def question_similar_view(request: HttpRequest) -> HttpResponse:
    """Suggestions while the title is typed: a partial for htmx, a full page otherwise."""
    title = request.GET.get("title", "")[:200]
    similar = selectors.similar_questions(title, viewer=request.user)
    template = "forum/_similar.html" if request.headers.get("HX-Request") else "forum/similar.html"
    return render(request, template, {"similar": similar, "title": title})


# --- the question page --------------------------------------------------------------------


def _count_question_view(request: HttpRequest, pk: int, slug: str = "") -> None:
    services.question_view_record(question_id=pk)


@require_GET
@cache_anonymous_page(on_hit=_count_question_view)
def question_detail_view(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    try:
        question, answers = selectors.question_page_data(pk=pk, viewer=request.user)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    perms.check_can_view_category(request.user, question.category)
    if slug != question.url_slug:
        return redirect(question.get_absolute_url(), permanent=True)
    services.question_view_record(question_id=question.pk)
    user = request.user
    is_moderator = perms.is_forum_moderator(user)
    can_comment = perms.can_comment(user, question)
    return render(
        request,
        "forum/question_detail.html",
        {
            "question": question,
            "can_answer": perms.can_answer(user, question),
            "jsonld": page_fragments.question_jsonld(question, answers),
            "experts_html": page_fragments.question_experts(request, question, answers),
            "head_html": page_fragments.question_head(
                request, question, is_moderator=is_moderator, can_comment=can_comment
            ),
            "answers_html": page_fragments.answers_section(
                request,
                answers=answers,
                can_accept=perms.can_accept_answer(user, question),
                can_comment=can_comment,
                is_moderator=is_moderator,
            ),
        },
    )


def _redirect_to(post) -> HttpResponse:
    return redirect(_post_url(post))


@login_required
@require_POST
def answer_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forum/answer_form.html", {"form": form, "question": question}, status=400
        )
    answer = services.answer_create(
        author=request.user, question=question, body=form.cleaned_data["body"]
    )
    if not answer.is_published:
        messages.info(request, _("Your answer is awaiting approval by a moderator."))
    return _redirect_to(answer)


@login_required
@require_POST
def comment_create_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ("question", "answer"):
        raise Http404
    target = _visible_question(request, pk) if kind == "question" else _visible_answer(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forum/comment_form.html", {"form": form, "target": target}, status=400
        )
    comment = services.comment_create(
        author=request.user, target=target, body=form.cleaned_data["body"]
    )
    if not comment.is_published:
        messages.info(request, _("Your comment is awaiting approval by a moderator."))
    return _redirect_to(comment)


VOTE_VALUES = {"up": 1, "down": -1, "none": 0}


@login_required
@require_POST
def vote_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in ("question", "answer"):
        raise Http404
    value = VOTE_VALUES.get(request.POST.get("value", ""))
    if value is None:
        return HttpResponseBadRequest(_("Unknown vote."))
    post = _visible_question(request, pk) if kind == "question" else _visible_answer(request, pk)
    try:
        score = services.vote_cast(member=request.user, post=post, value=value)
    except PermissionDenied as exc:
        if request.headers.get("HX-Request"):
            return render(
                request,
                "forum/_vote_box.html",
                {
                    "post": post,
                    "kind": kind,
                    "score": post.score,
                    "my_vote": services.vote_get(member=request.user, post=post),
                    "error": str(exc),
                },
                status=403,
            )
        raise
    if request.headers.get("HX-Request"):
        return render(
            request,
            "forum/_vote_box.html",
            {"post": post, "kind": kind, "score": score, "my_vote": value},
        )
    return _redirect_to(post)


@login_required
@require_POST
def answer_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _visible_answer(request, pk)
    if request.POST.get("action") == "unaccept":
        services.answer_unaccept(actor=request.user, question=answer.question)
    else:
        services.answer_accept(actor=request.user, answer=answer)
    return _redirect_to(answer)


@login_required
@require_POST
def question_follow_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    if request.POST.get("action") == "unfollow":
        services.question_unfollow(member=request.user, question=question)
    else:
        services.question_follow(member=request.user, question=question)
    return redirect(question.get_absolute_url())


# --- editing and revisions ----------------------------------------------------------------


@login_required
def question_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    perms.check_can_edit_post(request.user, question)
    initial = {
        "title": question.title,
        "body": question.body,
        "tags": ", ".join(t.name for t in question.tags.all()),
    }
    form = QuestionEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.question_update(
                actor=request.user,
                question=question,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                reason=data["reason"],
            )
            return redirect(question.get_absolute_url())
        return render(request, "forum/post_edit.html", {"form": form, "post": question}, status=400)
    return render(request, "forum/post_edit.html", {"form": form, "post": question})


@login_required
def post_edit_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind == "question":
        return question_edit_view(request, pk)
    if kind not in ("answer", "comment"):
        raise Http404
    post = _visible_answer(request, pk) if kind == "answer" else _visible_comment(request, pk)
    perms.check_can_edit_post(request.user, post)
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST":
        if form.is_valid():
            update = services.answer_update if kind == "answer" else services.comment_update
            key = "answer" if kind == "answer" else "comment"
            update(
                actor=request.user,
                body=form.cleaned_data["body"],
                reason=form.cleaned_data["reason"],
                **{key: post},
            )
            return _redirect_to(post)
        return render(request, "forum/post_edit.html", {"form": form, "post": post}, status=400)
    return render(request, "forum/post_edit.html", {"form": form, "post": post})


@require_GET
def revisions_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _any_post(request, kind, pk)
    revisions = selectors.revision_list(post)
    steps = []
    for previous, current in zip(revisions, revisions[1:], strict=False):
        before = (previous.title + "\n\n" + previous.body).splitlines()
        after = (current.title + "\n\n" + current.body).splitlines()
        lines = [
            (line[:1], line[2:])
            for line in difflib.ndiff(before, after)
            if not line.startswith("?")
        ]
        steps.append({"revision": current, "lines": lines})
    return render(
        request,
        "forum/revisions.html",
        {
            "post": post,
            "revisions": revisions,
            "steps": list(reversed(steps)),
            "post_url": _post_url(post),
        },
    )


# --- moderator actions --------------------------------------------------------------------


@login_required
@require_POST
def question_lock_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    services.question_lock(
        actor=request.user,
        question=question,
        locked=request.POST.get("action") != "unlock",
        reason=form.cleaned_data.get("reason", ""),
    )
    return redirect(question.get_absolute_url())


@login_required
def question_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
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
def question_duplicate_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    perms.check_can_moderate_forum(request.user)
    form = DuplicateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            original = Question.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
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
def question_reopen_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = _visible_question(request, pk)
    services.question_reopen(actor=request.user, question=question)
    return redirect(question.get_absolute_url())


def _any_post(request: HttpRequest, kind: str, pk: int):
    """Moderators reach deleted posts too (the visible querysets include them)."""
    if kind == "question":
        return _visible_question(request, pk)
    if kind == "answer":
        return _visible_answer(request, pk)
    if kind == "comment":
        return _visible_comment(request, pk)
    raise Http404


@login_required
@require_POST
def post_delete_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _any_post(request, kind, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    services.post_delete(actor=request.user, post=post, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Deleted."))
    if kind == "question" and not perms.is_forum_moderator(request.user):
        return redirect("forum:question-list")
    return redirect(_post_url(post))


@login_required
@require_POST
def post_restore_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _any_post(request, kind, pk)
    services.post_restore(actor=request.user, post=post)
    messages.success(request, _("Restored."))
    return redirect(_post_url(post))


def question_short_view(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(reverse("forum:question-detail", kwargs={"pk": pk, "slug": "-"}))
