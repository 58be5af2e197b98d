"""Reads for moderation: documents, the inbox, flags, sanctions, the audit log."""

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, Count, IntegerField, Min, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cache import remember
from config.csvexport import spreadsheet_row
from config.translation import stored
from config.urlbuild import url_for
from members.models import Member

from .filters import ACTIONS
from .models import (
    Appeal,
    AuditLogEntry,
    BlockedWord,
    Document,
    DocumentVersion,
    Flag,
    QueueItem,
    Rule,
    Sanction,
)
from .permissions import audit_entries_visible_to
from .registry import CONTENT, QUEUES, content_for, queue_target_age, queues_ordered
from .services.content import content_label, content_title
from .services.rules import RULES_SCOPE, rule_choices_key, rules_state

# --- documents -----------------------------------------------------------------------------


def document_get(slug: str) -> Document:
    return Document.objects.get(slug=slug)


def document_version_get(document: Document, number: int | None = None) -> DocumentVersion:
    """A version with its rules (the newest when ``number`` is None)."""
    qs = document.versions.select_related("published_by").prefetch_related(
        Prefetch("rules", queryset=Rule.objects.order_by("number"))
    )
    if number is None:
        version = qs.order_by("-number").first()
        if version is None:
            raise DocumentVersion.DoesNotExist
        return version
    return qs.get(number=number)


def document_versions_compared(
    document: Document, versions: list[DocumentVersion], *, to: str | None, since: str | None
) -> tuple[DocumentVersion, DocumentVersion]:
    """The two versions a diff compares: ``to`` (default the newest of ``versions``, listed
    newest first) and ``since`` (default the one before it). ``ValueError`` when a number is
    not one; ``DocumentVersion.DoesNotExist`` when either is not among ``versions``."""
    numbers = [v.number for v in versions]
    new_n = int(to or (numbers[0] if numbers else 0))
    old_n = int(since or (new_n - 1))
    if old_n not in numbers or new_n not in numbers:
        raise DocumentVersion.DoesNotExist
    return document_version_get(document, old_n), document_version_get(document, new_n)


def document_version_initial(version: DocumentVersion | None) -> dict[str, str]:
    """The publish form's texts, started from ``version`` in both languages."""
    if version is None:
        return {}
    return {"body": stored(version, "body"), "body_ru": version.body_ru}


def rule_initial(version: DocumentVersion | None) -> list[dict[str, str]]:
    """The publish form's rows for the rules of ``version`` in both languages (none without
    one)."""
    if version is None:
        return []
    return [
        {
            "title": stored(r, "title"),
            "title_ru": r.title_ru,
            "explanation": stored(r, "explanation"),
            "explanation_ru": r.explanation_ru,
        }
        for r in version.rules.all()
    ]


def document_version_list(document: Document) -> QuerySet[DocumentVersion]:
    return (
        document.versions.select_related("published_by")
        .annotate(rule_count=Count("rules"))
        .order_by("-number")
    )


def rule_choices() -> list[tuple[int, int, str]]:
    """``(pk, number, title)`` of the current rules in the active language, cached per
    language until a version is published: the flag and reject forms on every page use it
    without a query."""
    return remember(rule_choices_key(), (RULES_SCOPE,), _rule_choices_read, 600)


def _rule_choices_read() -> list[tuple[int, int, str]]:
    current_id = rules_state()["current_id"]
    if not current_id:
        return []
    return [
        (rule.pk, rule.number, rule.title)
        for rule in Rule.objects.filter(version_id=current_id)
        .order_by("number")
        .only("pk", "number", "title", "title_ru")
    ]


def rules_citable() -> QuerySet[Rule]:
    """Rules a flag or a decision may cite: those of the current version."""
    return Rule.objects.filter(version_id=rules_state()["current_id"]).order_by("number")


# --- the inbox -----------------------------------------------------------------------------


@dataclass
class QueueOverview:
    """The inbox header: per registered queue its summary, and the open count of every queue
    (unregistered ones too: their items still list), so the page needs no ``COUNT(*)``."""

    summaries: list[dict]
    open_counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(s["count"] for s in self.summaries)

    @property
    def total_overdue(self) -> int:
        return sum(s["overdue"] for s in self.summaries)

    def open_count(self, queue: str | None = None) -> int:
        """How many items ``queue_items_open(queue)`` lists."""
        if queue is None:
            return sum(self.open_counts.values())
        return self.open_counts.get(queue, 0)


def queue_overview(*, now=None) -> QueueOverview:
    """Per registered queue: open count, oldest item, how many are past the target age.
    One grouped query."""
    now = now or timezone.now()
    queues = queues_ordered()
    overdue = Sum(
        Case(
            *[When(queue=q.key, created_at__lt=now - queue_target_age(q), then=1) for q in queues],
            default=0,
            output_field=IntegerField(),
        )
    )
    rows = {
        row["queue"]: row
        for row in QueueItem.objects.filter(resolved_at__isnull=True)
        .order_by()
        .values("queue")
        .annotate(count=Count("id"), oldest=Min("created_at"), overdue=overdue)
    }
    summaries = []
    for q in queues:
        row: Mapping[str, Any] = rows.get(q.key, {})
        oldest = row.get("oldest")
        summaries.append(
            {
                "key": q.key,
                "label": q.label,
                "count": row.get("count", 0),
                "overdue": row.get("overdue") or 0,
                "oldest_age": now - oldest if oldest else None,
                "target_age": queue_target_age(q),
            }
        )
    return QueueOverview(summaries, {key: row["count"] for key, row in rows.items()})


def queue_summaries(*, now=None) -> list[dict]:
    return queue_overview(now=now).summaries


def _target_prefetch() -> GenericPrefetch:
    querysets = []
    for entry in CONTENT.values():
        qs = entry.model._base_manager.order_by()
        if entry.select_related:  # select_related() without names would join every FK
            qs = qs.select_related(*entry.select_related)
        querysets.append(qs)
    querysets.append(Appeal.objects.select_related("decision", "decision__rule").order_by())
    return GenericPrefetch("target", querysets)


# What the inbox shows of the member an item is about and of its claimer (``member_link``,
# the trust level, the claimer's name): loading the whole rows twice over cost more than the
# rest of the query.
_QUEUE_ITEM_MEMBER_FIELDS = (
    "username",
    "display_name",
    "badge",
    "is_staff",
    "trust_level",
    "deleted_at",
)


def queue_items_open(queue: str | None = None) -> QuerySet[QueueItem]:
    """Open items, new members' held posts first (priority), then oldest first. Targets are
    fetched with one query per content type (content types themselves come from their
    cache)."""
    qs = QueueItem.objects.filter(resolved_at__isnull=True)
    if queue:
        qs = qs.filter(queue=queue)
    return (
        qs.select_related("member", "claimed_by")
        .only(
            "queue",
            "target_type_id",
            "target_id",
            "member_id",
            "reason",
            "priority",
            "created_at",
            "claimed_by_id",
            *(f"member__{f}" for f in _QUEUE_ITEM_MEMBER_FIELDS),
            "claimed_by__username",
            "claimed_by__display_name",
            "claimed_by__deleted_at",
        )
        .prefetch_related(_target_prefetch())
        .order_by("-priority", "created_at", "id")
    )


def queue_item_get(pk: int) -> QueueItem:
    return QueueItem.objects.get(pk=pk)


def queue_item_list_open(pks: Iterable[int]) -> list[QueueItem]:
    return list(QueueItem.objects.filter(pk__in=list(pks), resolved_at__isnull=True))


def queue_item_get_open(pk: int) -> QueueItem:
    return QueueItem.objects.select_related("member").get(pk=pk, resolved_at__isnull=True)


# --- flaggable content ----------------------------------------------------------------------


def content_get(content_type_id: int, object_id: int) -> Any | None:
    """An object of a registered content model, whatever its moderation state; None when the
    content type is unknown or not registered, or the object is gone."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    if model is None or model._meta.label_lower not in CONTENT:
        return None
    try:
        return model._base_manager.get(pk=object_id)
    except ObjectDoesNotExist:  # the model's DoesNotExist
        return None


# --- members -------------------------------------------------------------------------------


def member_get(*, username: str | None = None, pk: int | None = None) -> Member:
    """Any member, active or not (moderators see the history of banned ones too)."""
    if username is not None:
        return Member.objects.get(username=username)
    return Member.objects.get(pk=pk)


def sanction_get(pk: int) -> Sanction:
    return Sanction.objects.select_related("member").get(pk=pk)


def member_sanctions(member) -> QuerySet[Sanction]:
    return member.sanctions.select_related("rule", "created_by").order_by("-created_at", "-id")


def member_flags_against(member, limit: int = 20) -> list[Flag]:
    return list(
        Flag.objects.filter(member=member)
        .select_related("flagger", "rule")
        .order_by("-created_at", "-id")[:limit]
    )


def member_flag_stats(member) -> dict:
    return Flag.objects.filter(member=member).aggregate(
        total=Count("id"),
        upheld=Count("id", filter=Q(outcome=Flag.Outcome.UPHELD)),
        dismissed=Count("id", filter=Q(outcome=Flag.Outcome.DISMISSED)),
    )


# --- the audit log -------------------------------------------------------------------------


def audit_log_list(viewer: Member) -> QuerySet[AuditLogEntry]:
    return (
        AuditLogEntry.objects.filter(audit_entries_visible_to(viewer))
        .select_related("actor", "member", "rule")
        .order_by("-created_at", "-id")
    )


class _Echo:
    """A file that hands back what is written: ``csv.writer`` formats, the response streams."""

    def write(self, value: str) -> str:
        return value


AUDIT_CSV_HEADER = [
    "id",
    "created_at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target",
    "member",
    "rule",
    "reason",
    "data",
    "action_label",
]


def audit_log_csv_lines(queryset: QuerySet[AuditLogEntry]) -> Iterator[str]:
    """The audit log as CSV lines, read in chunks (the export can be the whole log). The
    action is there as its code (for scripts) and as the label staff read on the site; the
    data column is JSON, as stored."""
    writer = csv.writer(_Echo())
    labels = {code: str(label) for code, label in ACTIONS}
    yield writer.writerow(AUDIT_CSV_HEADER)
    for e in queryset.iterator(chunk_size=2000):
        yield writer.writerow(
            spreadsheet_row(
                [
                    e.pk,
                    e.created_at.isoformat(),
                    e.actor.username if e.actor else "",
                    e.action,
                    e.target_type_id or "",
                    e.target_id or "",
                    e.target_repr,
                    e.member.username if e.member else "",
                    e.rule.citation if e.rule else "",
                    e.reason,
                    json.dumps(e.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
                    if e.data
                    else "",
                    labels.get(e.action, e.action),
                ]
            )
        )


def appeal_for_decision(decision: AuditLogEntry) -> Appeal | None:
    return Appeal.objects.filter(decision=decision).first()


def blocked_word_list() -> list[BlockedWord]:
    return list(BlockedWord.objects.order_by("word"))


def blocked_word_get(pk: int) -> BlockedWord:
    return BlockedWord.objects.get(pk=pk)


def decision_get_for_appeal(entry_id: int, member) -> AuditLogEntry:
    return AuditLogEntry.objects.select_related("rule", "actor").get(pk=entry_id, member=member)


def _choice_labels(cache: dict, model, field: str) -> dict:
    """``{value: label}`` of a field's choices, once per model (``get_FOO_display`` rebuilds
    the mapping on every call)."""
    key = (model, field)
    labels = cache.get(key)
    if labels is None:
        labels = cache[key] = {k: str(v) for k, v in model._meta.get_field(field).flatchoices}
    return labels


def queue_rows(items: Iterable[QueueItem], *, now: datetime | None = None) -> list[dict]:
    """Shape open items for the inbox: no query (targets are prefetched) and no ``reverse()``
    per row (addresses are filled into templates reversed once)."""
    now = now or timezone.now()

    def go_url(**ids: int) -> str:
        return url_for("moderation:content-go", **ids)

    def claim_url(pk: int) -> str:
        return url_for("moderation:item-claim", pk=pk)

    def approve_url(pk: int) -> str:
        return url_for("moderation:item-approve", pk=pk)

    def reject_url(pk: int) -> str:
        return url_for("moderation:item-reject", pk=pk)

    def profile_url(username: str) -> str:
        return url_for("members:profile", username=username)

    def history_url(username: str) -> str:
        return url_for("moderation:member", username=username)

    labels: dict = {}
    target_ages: dict[str, timedelta] = {}
    rows = []
    for item in items:
        queue = QUEUES.get(item.queue)
        target_age = target_ages.get(item.queue)
        if target_age is None:
            target_age = target_ages[item.queue] = (
                queue_target_age(queue) if queue else timedelta(hours=24)
            )
        target = item.target
        entry = content_for(target) if target is not None else None
        url = ""
        if target is not None and entry is not None:
            url = go_url(content_type_id=item.target_type_id, object_id=item.target_id)
        if isinstance(target, Appeal):
            title = target.text[:120]
            label: str | None = _("appeal")
            decision = target.decision
        else:
            title = content_title(target) if target is not None else _("(deleted)")
            label = labels.get(item.target_type_id)  # translated once per content type
            if label is None:
                label = labels[item.target_type_id] = (
                    content_label(target)
                    if target is not None
                    else ContentType.objects.get_for_id(item.target_type_id).name
                )
            decision = None
        state = getattr(target, "moderation_state", "")
        state_label = ""
        if state and hasattr(target, "get_moderation_state_display"):
            state_label = _choice_labels(labels, type(target), "moderation_state").get(state, state)
        member = item.member
        age = now - item.created_at
        rows.append(
            {
                "item": item,
                "target": target,
                "url": url,
                "title": title,
                "label": label,
                "decision": decision,
                "queue_label": queue.label if queue else item.queue,
                "age": age,
                "overdue": age > target_age,
                "state": state,
                "state_label": state_label,
                "links": entry.moderator_links(target) if entry and entry.moderator_links else [],
                "claim_url": claim_url(pk=item.pk),
                "approve_url": approve_url(pk=item.pk),
                "reject_url": reject_url(pk=item.pk),
                "member_url": profile_url(username=member.username) if member else "",
                "member_history_url": history_url(username=member.username) if member else "",
                "member_trust": _choice_labels(labels, type(member), "trust_level").get(
                    member.trust_level, member.trust_level
                )
                if member
                else "",
            }
        )
    return rows
