from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.http import safe_next_url
from config.pagination import KnownCountPaginator
from members.http import AuthenticatedHttpRequest
from members.models import Member

from . import selectors, services
from .content import ModerationState
from .diff import version_diff
from .filters import AuditLogFilter
from .forms import (
    AppealForm,
    BlockedWordForm,
    BulkDecisionForm,
    DecisionForm,
    DocumentPublishForm,
    FlagForm,
    HideForm,
    RuleFormSet,
    SanctionForm,
)
from .models import AuditLogEntry, BlockedWord, Document, DocumentVersion, QueueItem, Sanction
from .permissions import (
    check_can_edit_documents,
    check_can_manage_blocked_words,
    check_can_moderate,
    check_can_view_audit_log,
)
from .registry import QUEUES, content_for
from .services.content import content_label, content_title, content_url
from .services.queues import APPEALABLE, APPEALS_QUEUE, FLAGGED_QUEUE
from .services.rules import rules_reacceptance_needed


def _errors(form: Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "moderation/bad_request.html", {"message": message}, status=400)


# --- rules and other documents -------------------------------------------------------------


def _document(slug: str) -> Document:
    try:
        return selectors.document_get(slug)
    except Document.DoesNotExist:
        raise Http404 from None


def document_view(request: HttpRequest, slug: str = Document.RULES) -> HttpResponse:
    document = _document(slug)
    try:
        version = selectors.document_version_get(document)
    except DocumentVersion.DoesNotExist:
        version = None
    must_accept = (
        slug == Document.RULES
        and request.user.is_authenticated
        and rules_reacceptance_needed(request.user)
    )
    return render(
        request,
        "moderation/document.html",
        {"document": document, "version": version, "current": True, "must_accept": must_accept},
    )


def document_versions_view(request: HttpRequest, slug: str = Document.RULES) -> HttpResponse:
    document = _document(slug)
    versions = list(selectors.document_version_list(document))
    return render(
        request, "moderation/document_versions.html", {"document": document, "versions": versions}
    )


def document_version_view(
    request: HttpRequest, number: int, slug: str = Document.RULES
) -> HttpResponse:
    document = _document(slug)
    try:
        version = selectors.document_version_get(document, number)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "moderation/document.html",
        {"document": document, "version": version, "current": False},
    )


def document_diff_view(request: HttpRequest, slug: str = Document.RULES) -> HttpResponse:
    document = _document(slug)
    versions = list(selectors.document_version_list(document))
    try:
        old, new = selectors.document_versions_compared(
            document,
            versions,
            to=request.GET.get("to"),
            since=request.GET.get("from"),
        )
    except ValueError:
        return _bad_request(request, _("Choose two versions to compare."))
    except DocumentVersion.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "moderation/document_diff.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "rows": version_diff(old, new),
            "versions": versions,
        },
    )


@login_required
def rules_accept_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    document = _document(Document.RULES)
    try:
        version = selectors.document_version_get(document)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        services.rules_accept(member=request.user, version=version)
        messages.success(
            request,
            _("Thank you. You accepted version %(n)s of the rules.") % {"n": version.number},
        )
        return redirect(safe_next_url(request, reverse("moderation:rules")))
    return render(
        request,
        "moderation/rules_accept.html",
        {
            "document": document,
            "version": version,
            "must_accept": rules_reacceptance_needed(request.user),
            "next": safe_next_url(request, ""),
        },
    )


@login_required
def document_publish_view(
    request: AuthenticatedHttpRequest, slug: str = Document.RULES
) -> HttpResponse:
    check_can_edit_documents(request.user)
    document = _document(slug)
    try:
        current = selectors.document_version_get(document)
    except DocumentVersion.DoesNotExist:
        current = None
    if request.method == "POST":
        form = DocumentPublishForm(request.POST)
        formset = RuleFormSet(request.POST, prefix="rules")
        if form.is_valid() and formset.is_valid():
            version = services.document_version_publish(
                actor=request.user,
                document=document,
                change_summary=form.cleaned_data["change_summary"],
                change_summary_ru=form.cleaned_data["change_summary_ru"],
                body=form.cleaned_data["body"],
                body_ru=form.cleaned_data["body_ru"],
                rules=formset.rules(),
                requires_reacceptance=form.cleaned_data["requires_reacceptance"],
            )
            messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
            return redirect(document.get_absolute_url())
        status = 400
    else:
        form = DocumentPublishForm(initial=selectors.document_version_initial(current))
        formset = RuleFormSet(prefix="rules", initial=selectors.rule_initial(current))
        status = 200
    return render(
        request,
        "moderation/document_publish.html",
        {"document": document, "current": current, "form": form, "formset": formset},
        status=status,
    )


# --- flags ---------------------------------------------------------------------------------


def _content_get(content_type_id: int, object_id: int) -> Any:
    target = selectors.content_get(content_type_id, object_id)
    if target is None:
        raise Http404
    return target


@login_required
def content_go_view(
    request: AuthenticatedHttpRequest, content_type_id: int, object_id: int
) -> HttpResponse:
    """The inbox links here instead of computing every target's page address up front
    (which may need the target's relations: one query per item)."""
    check_can_moderate(request.user)
    return redirect(content_url(_content_get(content_type_id, object_id)))


@login_required
def flag_view(
    request: AuthenticatedHttpRequest, content_type_id: int, object_id: int
) -> HttpResponse:
    target = _content_get(content_type_id, object_id)
    visible = getattr(target, "moderation_state", ModerationState.PUBLISHED)
    entry = content_for(target)
    if (
        visible != ModerationState.PUBLISHED
        or (isinstance(target, Member) and not target.is_active)
        or (entry is not None and not entry.is_visible_to(request.user, target))
    ):
        raise Http404
    fallback = content_url(target)
    form = FlagForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_create(
                    flagger=request.user,
                    target=target,
                    rule=form.cleaned_data["rule"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Thank you. The moderators will look at it."))
            return redirect(safe_next_url(request, fallback))
        return render(request, "moderation/flag.html", {"form": form, "target": target}, status=400)
    return render(
        request,
        "moderation/flag.html",
        {
            "form": form,
            "target": target,
            "label": content_label(target),
            "title": content_title(target),
            "next": safe_next_url(request, fallback),
        },
    )


# --- the inbox -----------------------------------------------------------------------------


@login_required
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_moderate(request.user)
    now = timezone.now()
    queue = request.GET.get("queue") or None
    if queue is not None and queue not in QUEUES:
        raise Http404
    overview = selectors.queue_overview(now=now)
    counts = _queue_counts(overview, queue)
    page = KnownCountPaginator(
        selectors.queue_items_open(queue),
        settings.VECHE_INBOX_PER_PAGE,
        count=overview.open_count(queue),
    ).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(page.object_list, now=now)
    return render(
        request,
        "moderation/inbox.html",
        {
            **counts,
            "page_obj": page,
            "rows": rows,
            # Built once: every item's reject form repeats the same options.
            "rule_options": render_to_string(
                "moderation/_rule_options.html", {"rules": selectors.rule_choices()}
            ),
        },
    )


def _queue_counts(overview: selectors.QueueOverview, queue: str | None) -> dict[str, Any]:
    """What the inbox's counts (moderation/_queue_counts.html) show."""
    return {
        "summaries": overview.summaries,
        "queue": queue,
        "total": overview.total,
        "total_overdue": overview.total_overdue,
    }


def _queue_of_page(request: HttpRequest) -> str | None:
    """The queue tab the inbox page shows, from the address htmx reports for it."""
    current = getattr(getattr(request, "htmx", None), "current_url", None) or ""
    queue = parse_qs(urlsplit(current).query).get("queue", [""])[0]
    return queue if queue in QUEUES else None


def _item(pk: int) -> QueueItem:
    try:
        return selectors.queue_item_get(pk)
    except QueueItem.DoesNotExist:
        raise Http404 from None


def _back_to_inbox(
    request: HttpRequest, item: QueueItem | None = None, *, done: str = "", error: str = ""
) -> HttpResponse:
    """Without JavaScript: back to the inbox with a message. With htmx: the item's row is
    replaced by a one-line outcome, and the inbox's counts come out of band."""
    if getattr(request, "htmx", False) and item is not None:
        counts = _queue_counts(selectors.queue_overview(), _queue_of_page(request))
        return render(
            request,
            "moderation/_item_done.html",
            {"item": item, "done": done, "error": error, "counts": True, **counts},
        )
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect(safe_next_url(request, reverse("moderation:inbox")))


@login_required
@require_POST
def item_claim_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_can_moderate(request.user)
    item = _item(pk)
    try:
        services.queue_item_claim(actor=request.user, item=item)
    except ValidationError as exc:
        return _back_to_inbox(request, item, error=" ".join(exc.messages))
    return _back_to_inbox(request, None, done=_("You claimed this item."))


def _item_decide(request: AuthenticatedHttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    """Approve or reject one inbox item: the same form, one service each."""
    check_can_moderate(request.user)
    item = _item(pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, _errors(form))
    message = form.cleaned_data["message"]
    try:
        if approve:
            services.queue_item_approve(actor=request.user, item=item, message=message)
        else:
            services.queue_item_reject(
                actor=request.user, item=item, rule=form.cleaned_data["rule"], message=message
            )
    except ValidationError as exc:
        return _back_to_inbox(request, item, error=" ".join(exc.messages))
    return _back_to_inbox(request, item, done=_decided(item.queue, approve=approve))


def _decided(queue: str, *, approve: bool) -> str:
    """What a decision did, in the words of its queue's buttons (moderation_tags)."""
    if queue == FLAGGED_QUEUE:
        if approve:
            return _("Flags dismissed. The post stays up.")
        return _("Flags upheld. The post was removed and its author told which rule.")
    if queue == APPEALS_QUEUE:
        return _("Appeal granted.") if approve else _("Appeal denied.")
    return _("Approved.") if approve else _("Rejected. The author was told which rule.")


@login_required
@require_POST
def item_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _item_decide(request, pk, approve=True)


@login_required
@require_POST
def item_reject_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _item_decide(request, pk, approve=False)


@login_required
@require_POST
def bulk_decide_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_moderate(request.user)
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, _errors(form))
    try:
        done, skipped = services.queue_items_bulk(
            actor=request.user,
            items=selectors.queue_item_list_open(form.cleaned_data["items"]),
            approve=form.cleaned_data["decision"] == "approve",
            rule=form.cleaned_data["rule"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as exc:
        return _bad_request(request, " ".join(exc.messages))
    messages.success(
        request,
        _("%(done)s items decided, %(skipped)s skipped.") % {"done": done, "skipped": skipped},
    )
    return _back_to_inbox(request)


@login_required
@require_POST
def content_hide_view(
    request: AuthenticatedHttpRequest, content_type_id: int, object_id: int
) -> HttpResponse:
    check_can_moderate(request.user)
    target = _content_get(content_type_id, object_id)
    form = HideForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, _errors(form))
    try:
        services.content_hide(
            actor=request.user,
            target=target,
            rule=form.cleaned_data["rule"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Hidden."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(safe_next_url(request, content_url(target)))


@login_required
@require_POST
def content_restore_view(
    request: AuthenticatedHttpRequest, content_type_id: int, object_id: int
) -> HttpResponse:
    check_can_moderate(request.user)
    target = _content_get(content_type_id, object_id)
    try:
        services.content_restore(
            actor=request.user, target=target, reason=request.POST.get("reason", "")[:2000]
        )
        messages.success(request, _("Restored."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(safe_next_url(request, content_url(target)))


# --- members and sanctions -----------------------------------------------------------------


def _member(**lookup: Any) -> Member:
    try:
        return selectors.member_get(**lookup)
    except Member.DoesNotExist:
        raise Http404 from None


@login_required
def member_moderation_view(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    check_can_moderate(request.user)
    member = _member(username=username)
    form = SanctionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            days = form.cleaned_data.get("days")
            try:
                services.sanction_apply(
                    actor=request.user,
                    member=member,
                    kind=form.cleaned_data["kind"],
                    rule=form.cleaned_data["rule"],
                    reason=form.cleaned_data["reason"],
                    duration=timedelta(days=days) if days else None,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The sanction is applied and the member told."))
            return redirect("moderation:member", username=member.username)
        status = 400
    return render(
        request,
        "moderation/member.html",
        {
            "profile": member,
            "form": form,
            "sanctions": list(selectors.member_sanctions(member)[:50]),
            "flags": selectors.member_flags_against(member),
            "flag_stats": selectors.member_flag_stats(member),
        },
        status=status,
    )


@login_required
def member_by_id_view(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    check_can_moderate(request.user)
    member = _member(pk=member_id)
    return redirect("moderation:member", username=member.username)


@login_required
@require_POST
def sanction_lift_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_can_moderate(request.user)
    try:
        sanction = selectors.sanction_get(pk)
    except Sanction.DoesNotExist:
        raise Http404 from None
    try:
        services.sanction_lift(
            actor=request.user, sanction=sanction, reason=request.POST.get("reason", "")[:2000]
        )
        messages.success(request, _("The sanction is lifted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("moderation:member", username=sanction.member.username)


# --- appeals -------------------------------------------------------------------------------


@login_required
def appeal_view(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    try:
        decision = selectors.decision_get_for_appeal(entry_id, request.user)
    except AuditLogEntry.DoesNotExist:
        raise Http404 from None
    appeal = selectors.appeal_for_decision(decision)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and appeal is None:
        if form.is_valid():
            try:
                services.appeal_create(
                    member=request.user, decision=decision, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your appeal is with the moderators."))
            return redirect("moderation:appeal", entry_id=decision.pk)
        return render(
            request,
            "moderation/appeal.html",
            {"decision": decision, "appeal": appeal, "form": form, "appealable": APPEALABLE},
            status=400,
        )
    if request.method == "POST":
        return _bad_request(request, _("You have already appealed this decision."))
    return render(
        request,
        "moderation/appeal.html",
        {"decision": decision, "appeal": appeal, "form": form, "appealable": APPEALABLE},
    )


# --- the audit log and blocked words (staff) -----------------------------------------------


@login_required
def audit_log_view(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    check_can_view_audit_log(request.user)
    filterset = AuditLogFilter(request.GET, queryset=selectors.audit_log_list(request.user))
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            selectors.audit_log_csv_lines(filterset.qs), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="moderation-log.csv"'
        return response
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/audit_log.html",
        {"filter": filterset, "page_obj": page},
    )


@login_required
def blocked_words_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    check_can_manage_blocked_words(request.user)
    form = BlockedWordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.blocked_word_add(actor=request.user, word=form.cleaned_data["word"])
            except ValidationError as exc:
                form.add_error("word", exc)
            else:
                messages.success(request, _("The word is blocked."))
                return redirect("moderation:blocked-words")
        status = 400
    return render(
        request,
        "moderation/blocked_words.html",
        {"form": form, "words": selectors.blocked_word_list()},
        status=status,
    )


@login_required
@require_POST
def blocked_word_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check_can_manage_blocked_words(request.user)
    try:
        word = selectors.blocked_word_get(pk)
    except BlockedWord.DoesNotExist:
        raise Http404 from None
    services.blocked_word_remove(actor=request.user, word=word)
    messages.success(request, _("The word is no longer blocked."))
    return redirect("moderation:blocked-words")
