"""Every write of drafts (uploads.models.Draft): saving what a member types into a post form
and what a refused post held, discarding it once posted, the old-drafts job, and the
member's personal data."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member

from .files import Refused
from .models import Draft
from .registry import draft_key_parse

TITLE_MAX_CHARS = 300
OLD_DRAFTS_PER_RUN = 1000

__all__ = [
    "Refused",
    "draft_discard",
    "draft_save",
    "draft_save_quietly",
    "drafts_erase",
    "drafts_export",
    "drafts_old_delete",
]


def draft_save(*, member: Member, key: str, title: str, body: str) -> datetime | None:
    """Keep ``title`` and ``body`` as ``member``'s draft of the form ``key``; returns when it
    was saved, or ``None`` when both are empty (the draft, if any, is discarded). Raises
    ``Refused`` for a key that names no form, a text too long, or too many drafts. Members who
    may not post now (silenced…) keep drafts too: they are nobody's but theirs."""
    if draft_key_parse(key) is None:
        raise Refused(_("This form keeps no draft."))
    limit = settings.VECHE_DRAFT_MAX_CHARS
    if len(body) > limit or len(title) > TITLE_MAX_CHARS:
        raise Refused(
            _("The text is too long to keep as a draft: at most %(limit)s characters.")
            % {"limit": limit}
        )
    if not title.strip() and not body.strip():
        draft_discard(member=member, key=key)
        return None
    now = timezone.now()
    # The usual case, a draft being typed: one UPDATE (it touches no cache scope: the set of
    # the member's drafts is unchanged).
    fields = {"title": title, "body": body, "updated_at": now}
    if Draft.objects.filter(member=member, key=key).update(**fields):
        return now
    if Draft.objects.filter(member=member).count() >= settings.VECHE_DRAFTS_PER_MEMBER:
        raise Refused(
            _("You have %(count)s drafts already: post or discard some to keep this one.")
            % {"count": settings.VECHE_DRAFTS_PER_MEMBER}
        )
    try:
        with transaction.atomic():
            Draft.objects.create(member=member, key=key, **fields)
    except IntegrityError:  # a parallel save of the same form created it first
        Draft.objects.filter(member=member, key=key).update(**fields)
    return now


def draft_save_quietly(*, member: Member, key: str, title: str = "", body: str = "") -> bool:
    """``draft_save`` for a refused post: the form shows the text again in any case, so a
    draft that cannot be kept (too long, too many) is no error of its own. True when kept."""
    try:
        return draft_save(member=member, key=key, title=title, body=body) is not None
    except Refused:
        return False


def draft_discard(*, member: Member, key: str) -> bool:
    """Discard ``member``'s draft of the form ``key`` (the post was made, or they asked)."""
    deleted, _rows = Draft.objects.filter(member_id=member.pk, key=key).delete()
    return bool(deleted)


def drafts_old_delete(*, now: datetime | None = None) -> int:
    """Delete drafts untouched for VECHE_DRAFT_KEEP_DAYS (the beat job
    ``uploads.drafts_old_delete``; at most OLD_DRAFTS_PER_RUN a run, safe to run twice)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.VECHE_DRAFT_KEEP_DAYS)
    old = list(
        Draft.objects.filter(updated_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:OLD_DRAFTS_PER_RUN]
    )
    deleted, _rows = Draft.objects.filter(pk__in=old, updated_at__lt=cutoff).delete()
    return deleted


def drafts_export(member: Member) -> list[dict[str, Any]]:
    """A member's drafts for "export my data" (members.personal_data)."""
    return [
        {
            "form": draft.key,
            "title": draft.title,
            "text": draft.body,
            "updated_at": draft.updated_at.isoformat(),
        }
        for draft in Draft.objects.filter(member=member).order_by("pk")
    ]


def drafts_erase(member: Member, remove_posts: bool) -> None:
    """ "Delete my account": drafts are never public, so they all go."""
    Draft.objects.filter(member=member).delete()
