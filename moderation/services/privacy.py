"""What moderation holds about a member, for "export my data" and "delete my account"
(registered in ``members.personal_data`` by moderation.receivers), and the audit row of an
erasure."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from members.models import Member
from members.personal_data import rows

from ..models import Appeal, AuditLogEntry, Flag, PostFingerprint, RulesAcceptance, Sanction
from .audit import audit_log_write


def export_rules_acceptances(member: Member) -> list[dict[str, Any]]:
    return rows(
        RulesAcceptance.objects.filter(member=member).order_by("accepted_at", "id"),
        "version__document__slug",
        "version__number",
        "accepted_at",
    )


def export_flags(member: Member) -> list[dict[str, Any]]:
    return rows(
        Flag.objects.filter(flagger=member).order_by("created_at", "id"),
        "target_type__model",
        "target_id",
        "rule__number",
        "note",
        "created_at",
        "outcome",
    )


def export_sanctions(member: Member) -> list[dict[str, Any]]:
    return rows(
        Sanction.objects.filter(member=member).order_by("created_at", "id"),
        "kind",
        "rule__number",
        "reason",
        "created_at",
        "ends_at",
        "ended_at",
    )


def export_appeals(member: Member) -> list[dict[str, Any]]:
    return rows(
        Appeal.objects.filter(member=member).order_by("created_at", "id"),
        "text",
        "created_at",
        "outcome",
    )


def erase(member: Member, remove_posts: bool) -> None:
    """Texts the member wrote to moderators go; the records of decisions stay, about the
    anonymous placeholder (the audit log's pseudonymous id)."""
    with transaction.atomic():
        Flag.objects.filter(flagger=member).update(note="")
        Appeal.objects.filter(member=member).update(text="")
        PostFingerprint.objects.filter(member=member).delete()
        # The log is append-only for moderators; an erasure is the one rewrite it allows:
        # the name the log stored for the member as a target becomes the pseudonym.
        AuditLogEntry._base_manager.filter(
            target_type=ContentType.objects.get_for_model(Member), target_id=member.pk
        ).update(target_repr=f"#{member.pk}")


def member_erase_record(*, actor: Member | None, member: Member, reason: str = "") -> None:
    """The audit row of an erasure (``members.hooks.member_erased``)."""
    audit_log_write(
        actor=actor,
        action="member_erase",
        member=member,
        reason=reason,
        data={"by": "staff" if actor is not None else "self"},
    )
