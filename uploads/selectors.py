"""Reading uploads and drafts (a draft only ever for its own member)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Sum

from config.cache import remember

from .models import Draft, Upload
from .registry import DRAFT_KINDS, draft_key_parse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How long the set of a member's draft keys stays in the cache (a save that creates or
# deletes a draft makes it stale at once).
DRAFT_KEYS_SECONDS = 3600


def upload_get(key: str) -> Upload | None:
    return Upload.objects.filter(key=key).first()


def upload_bytes_used(member_id: int) -> int:
    return int(Upload.objects.filter(owner_id=member_id).aggregate(total=Sum("size"))["total"] or 0)


# --- drafts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftRow:
    """A draft as the drafts page lists it: what it is, where to continue it (``None`` when
    its target is gone or hidden now)."""

    draft: Draft
    label: "StrOrPromise"
    target_title: str
    url: str | None


def draft_scope(member_id: int) -> str:
    """The cache scope of a member's set of drafts (touched when one is created or deleted)."""
    return f"drafts:{member_id}"


def draft_get(*, member: Any, key: str) -> Draft | None:
    return Draft.objects.filter(member_id=member.pk, key=key).first()


def draft_keys_entry(member_id: int) -> tuple[str, tuple[str, ...]]:
    return f"veche:draft-keys:{member_id}", (draft_scope(member_id),)


def draft_keys_of(member: Any) -> frozenset[str]:
    """The keys of ``member``'s drafts, kept in the cache under the member's drafts scope: the
    question page asks whether there is an answer to restore without a query."""
    return remember(
        *draft_keys_entry(member.pk),
        lambda: frozenset(Draft.objects.filter(member_id=member.pk).values_list("key", flat=True)),
        DRAFT_KEYS_SECONDS,
    )


def draft_get_known(*, member: Any, key: str) -> Draft | None:
    """``draft_get`` asked only when the member's cached draft keys hold ``key``."""
    return draft_get(member=member, key=key) if key in draft_keys_of(member) else None


def draft_count(member: Any) -> int:
    return Draft.objects.filter(member_id=member.pk).count()


def draft_list_for(member: Any) -> list[DraftRow]:
    """``member``'s drafts, newest first, each with its form's address: one query for the
    drafts and one per kind with targets (the targets' titles, through their visibility)."""
    drafts = list(Draft.objects.filter(member_id=member.pk).order_by("-updated_at", "-pk"))
    return draft_rows(member, drafts)


def draft_rows(member: Any, drafts: list[Draft]) -> list[DraftRow]:
    """``drafts`` of ``member`` with their labels and addresses (one query per kind with
    targets)."""
    parsed = {draft.pk: draft_key_parse(draft.key) for draft in drafts}
    wanted: dict[str, list[int]] = {}
    for found in parsed.values():
        if found is not None and found[1] is not None:
            wanted.setdefault(found[0].name, []).append(found[1])
    targets = {}
    for name, ids in wanted.items():
        load = DRAFT_KINDS[name].targets
        targets[name] = load(member, ids) if load else {}
    rows = []
    for draft in drafts:
        found = parsed[draft.pk]
        if found is None:  # a kind no longer registered: its text still shows
            rows.append(DraftRow(draft, draft.key, "", None))
            continue
        kind, target_id = found
        if target_id is None:
            rows.append(DraftRow(draft, kind.label, "", kind.url() if kind.url else None))
            continue
        title, url = targets[kind.name].get(target_id, ("", None))
        rows.append(DraftRow(draft, kind.label, title, url))
    return rows
