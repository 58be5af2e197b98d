"""The append-only audit log."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from members.models import Member

from ..models import AuditLogEntry, Rule


def audit_log_write(
    *,
    actor: Member | None,
    action: str,
    target: Model | None = None,
    member: Member | None = None,
    rule: Rule | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Append one row to the moderation audit log, in the caller's transaction. Every
    moderating service (in any app) calls this exactly once per action."""
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    return AuditLogEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=target.pk if target is not None else None,
        target_repr=str(target)[:200] if target is not None else "",
        member=member,
        rule=rule,
        reason=reason or "",
        data=data or {},
    )
