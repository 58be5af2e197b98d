"""Who may do what in moderation. Moderators are members of the "Moderators" group (or hold
the ``moderation.moderate`` permission); staff can do everything moderators can, and also
edit rules pages and blocked words. Moderators read the audit log, but for the entries only
staff may see (``audit_entries_visible_to``)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from members.permissions import can_moderate as _member_is_moderator


def can_moderate(member) -> bool:
    if not getattr(member, "is_authenticated", False) or not member.is_active:
        return False
    return _member_is_moderator(member) or member.has_perm("moderation.moderate")


def check_can_moderate(member) -> None:
    if not can_moderate(member):
        raise PermissionDenied(_("Only moderators can do this."))


def can_edit_documents(member) -> bool:
    return bool(getattr(member, "is_authenticated", False) and member.is_staff)


def check_can_edit_documents(member) -> None:
    if not can_edit_documents(member):
        raise PermissionDenied(_("Only staff can edit the rules and policy pages."))


# Audit entries of staff-only settings and decisions: the blocked words (a moderator who read
# them would know the screening's list, which staff alone manage) and the referral program's
# decisions (their reasons quote the fraud checks: addresses, linked accounts).
STAFF_ONLY_AUDIT_ACTIONS = ("blocked_word_add", "blocked_word_remove")
STAFF_ONLY_AUDIT_PREFIXES = ("referral_",)


def can_view_audit_log(member) -> bool:
    return can_moderate(member) or bool(
        getattr(member, "is_authenticated", False) and member.is_staff
    )


def check_can_view_audit_log(member) -> None:
    if not can_view_audit_log(member):
        raise PermissionDenied(_("Only moderators and staff can read the audit log."))


def audit_entries_visible_to(member) -> Q:
    """The audit entries ``member`` may read: all for staff, for moderators all but the
    staff-only ones."""
    if getattr(member, "is_staff", False):
        return Q()
    hidden = Q(action__in=STAFF_ONLY_AUDIT_ACTIONS)
    for prefix in STAFF_ONLY_AUDIT_PREFIXES:
        hidden |= Q(action__startswith=prefix)
    return ~hidden


def check_can_manage_blocked_words(member) -> None:
    if not (getattr(member, "is_authenticated", False) and member.is_staff):
        raise PermissionDenied(_("Only staff can edit the blocked words."))


def check_can_flag(member, *, author_id) -> None:
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to flag."))
    if member.is_banned or member.is_suspended or member.is_silenced:
        raise PermissionDenied(_("You cannot flag while a sanction applies to you."))
    if author_id is not None and author_id == member.pk:
        raise PermissionDenied(_("You cannot flag your own post."))


def check_can_sanction(actor, member) -> None:
    check_can_moderate(actor)
    if actor.pk == member.pk:
        raise PermissionDenied(_("You cannot sanction yourself."))
    if member.is_superuser or (member.is_staff and not actor.is_superuser):
        raise PermissionDenied(_("Staff accounts can only be sanctioned by an administrator."))
    if member.is_moderator and not actor.is_staff:
        raise PermissionDenied(_("Only staff can sanction a moderator."))


def check_can_appeal(member, decision) -> None:
    if not getattr(member, "is_authenticated", False) or decision.member_id != member.pk:
        raise PermissionDenied(_("Only the member concerned can appeal this decision."))
