"""Warnings, silences, suspensions and bans. Each sets a field on the member that the rest of
the site already honours (``is_silenced`` blocks posting, ``is_suspended``/``is_banned``
block logging in), and expires by itself because those properties compare with the clock."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.hooks import member_sanctioned
from members.models import Member
from members.services import notification_send

from ..content import ModerationState
from ..models import AuditLogEntry, Rule, Sanction
from ..notifications import appeal_url
from ..permissions import check_can_moderate, check_can_sanction
from .audit import audit_log_write
from .content import content_set_state

FIELD: dict[str, str] = {
    Sanction.Kind.SILENCE: "silenced_until",
    Sanction.Kind.SUSPEND: "suspended_until",
    Sanction.Kind.BAN: "banned_at",
}
NOTIFICATION = {
    Sanction.Kind.WARN: "moderation_warned",
    Sanction.Kind.SILENCE: "moderation_silenced",
    Sanction.Kind.SUSPEND: "moderation_suspended",
    Sanction.Kind.BAN: "moderation_banned",
}
MAX_DURATION = timedelta(days=3650)


def sanction_apply(
    *,
    actor,
    member: Member,
    kind: str,
    rule: Rule | None = None,
    reason: str = "",
    duration: timedelta | None = None,
) -> Sanction:
    """Warn, silence or suspend for ``duration``, or ban (no duration: until lifted).

    Every sanction cites the rule clause it enforces: a free-text reason alone is refused, so
    the member always learns which rule to appeal against."""
    check_can_sanction(actor, member)
    if rule is None:
        raise ValidationError(_("Cite the rule the member broke; a reason alone is not enough."))
    kind = Sanction.Kind(kind)
    if kind in (Sanction.Kind.SILENCE, Sanction.Kind.SUSPEND):
        if duration is None or duration <= timedelta(0) or duration > MAX_DURATION:
            raise ValidationError(_("Choose how long the sanction lasts."))
    now = timezone.now()
    ends_at = now + duration if duration is not None and kind != Sanction.Kind.WARN else None
    with transaction.atomic():
        sanction = Sanction.objects.create(
            member=member,
            kind=kind,
            rule=rule,
            reason=reason,
            created_by=actor,
            created_at=now,
            ends_at=ends_at,
        )
        if kind in FIELD:
            value = now if kind == Sanction.Kind.BAN else ends_at
            current = getattr(member, FIELD[kind])
            if kind == Sanction.Kind.BAN or current is None or current < value:
                # A shorter sanction never cuts a longer one short.
                Member.objects.filter(pk=member.pk).update(**{FIELD[kind]: value})
                setattr(member, FIELD[kind], value)
        if kind in (Sanction.Kind.SUSPEND, Sanction.Kind.BAN):
            # The ambassador program stops counting a sanctioned member's fresh referral
            # (its hourly sweep does it too; this makes it immediate).
            member_sanctioned.send(sender=Member, member=member, reason=reason)
        decision = audit_log_write(
            actor=actor,
            action=str(kind),
            target=member,
            member=member,
            rule=rule,
            reason=reason,
            data={"sanction": sanction.pk, "ends_at": ends_at.isoformat() if ends_at else None},
        )
        notification_send(
            recipients=[member],
            kind=NOTIFICATION[kind],
            actor=actor,
            params={
                "rule": rule.citation,
                "message": reason,
                "until": formats.date_format(timezone.localtime(ends_at), "DATETIME_FORMAT")
                if ends_at
                else "",
            },
            url=appeal_url(decision),
        )
    return sanction


def member_warn(*, actor, member, rule: Rule, reason: str = "") -> Sanction:
    return sanction_apply(
        actor=actor, member=member, kind=Sanction.Kind.WARN, rule=rule, reason=reason
    )


def member_silence(*, actor, member, duration: timedelta, rule: Rule, reason: str = ""):
    return sanction_apply(
        actor=actor,
        member=member,
        kind=Sanction.Kind.SILENCE,
        rule=rule,
        reason=reason,
        duration=duration,
    )


def member_suspend(*, actor, member, duration: timedelta, rule: Rule, reason: str = ""):
    return sanction_apply(
        actor=actor,
        member=member,
        kind=Sanction.Kind.SUSPEND,
        rule=rule,
        reason=reason,
        duration=duration,
    )


def member_ban(*, actor, member, rule: Rule, reason: str = "") -> Sanction:
    return sanction_apply(
        actor=actor, member=member, kind=Sanction.Kind.BAN, rule=rule, reason=reason
    )


def _sanction_end(sanction: Sanction, now) -> None:
    Sanction.objects.filter(pk=sanction.pk, ended_at__isnull=True).update(ended_at=now)
    field = FIELD.get(sanction.kind)
    if field:
        still = Sanction.objects.filter(
            member_id=sanction.member_id, kind=sanction.kind, ended_at__isnull=True
        ).exclude(pk=sanction.pk)
        if not still.exists():
            Member.objects.filter(pk=sanction.member_id).update(**{field: None})


def sanction_lift(*, actor, sanction: Sanction, reason: str = "") -> Sanction:
    check_can_moderate(actor)
    if sanction.ended_at is not None:
        raise ValidationError(_("This sanction has already ended."))
    with transaction.atomic():
        now = timezone.now()
        _sanction_end(sanction, now)
        sanction.ended_at = now
        audit_log_write(
            actor=actor,
            action="lift",
            target=sanction.member,
            member=sanction.member,
            reason=reason,
            data={"sanction": sanction.pk, "kind": sanction.kind},
        )
        notification_send(
            recipients=[sanction.member],
            kind="moderation_lifted",
            actor=actor,
            params={"message": reason},
        )
    return sanction


def decision_reverse(decision: AuditLogEntry, *, actor) -> None:
    """Undo a decision whose appeal was granted (no audit row: the caller writes one)."""
    if decision.action in ("reject", "hide", "auto_hide"):
        target = decision.target
        if target is not None:
            content_set_state(target, ModerationState.PUBLISHED)
    sanction_id = (decision.data or {}).get("sanction")
    if sanction_id:
        sanction = Sanction.objects.filter(pk=sanction_id, ended_at__isnull=True).first()
        if sanction is not None:
            _sanction_end(sanction, timezone.now())


def sanction_expire_sweep(*, now=None) -> int:
    """Close sanctions whose time is up and clear the member fields they set (the fields
    already stop applying at that moment; this keeps the data tidy). One audit row each."""
    now = now or timezone.now()
    expired = list(
        Sanction.objects.filter(
            ended_at__isnull=True, ends_at__isnull=False, ends_at__lte=now
        ).select_related("member")
    )
    with transaction.atomic():
        for sanction in expired:
            Sanction.objects.filter(pk=sanction.pk).update(ended_at=sanction.ends_at)
            audit_log_write(
                actor=None,
                action="expire",
                target=sanction.member,
                member=sanction.member,
                data={"sanction": sanction.pk, "kind": sanction.kind},
            )
        Member.objects.filter(silenced_until__lte=now).update(silenced_until=None)
        Member.objects.filter(suspended_until__lte=now).update(suspended_until=None)
    return len(expired)
