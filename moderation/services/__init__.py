"""Moderation writes and the gate every posting service goes through.

Contract used by other apps (keep these signatures):
- ``check_can_post(member)``: raises ``PermissionDenied`` with a translated reason when the
  member may not post now (silenced, suspended, banned, rules to re-accept…).
- ``content_screen(author=, text=, kind=) -> Screening``: spam/new-member checks before
  publishing; ``screening.hold`` says the item must be held for approval.
- ``posting_refusal(member) -> str | None`` and ``posts_held_for_review(member) -> int``: what
  the post forms say before a member writes (why they may not post; how many posts wait).
- ``content_held(target=, author=, reasons=)``: put a held item into the approval queue.
- ``queue_item_add(queue=, target=, member=, reason=, priority=0)``: add to any queue.
- ``rules_accept_on_signup(member=)``: record acceptance of the current rules at sign-up.
- ``audit_log_write(actor=, action=, target=, member=, rule=, reason=, data=)``: one audit row,
  in the caller's transaction.

The implementations live in modules by sub-domain; this package re-exports them.
"""

from .audit import audit_log_write
from .flags import flag_create, flag_weight
from .membership import (
    MEMBERSHIP_QUEUE,
    membership_application_approve,
    membership_application_decline,
    membership_application_queue,
)
from .queues import (
    appeal_create,
    content_held,
    content_hide,
    content_restore,
    queue_item_add,
    queue_item_approve,
    queue_item_claim,
    queue_item_reject,
    queue_items_bulk,
    queue_items_overdue_sweep,
)
from .rules import document_version_publish, rules_accept, rules_accept_on_signup
from .sanctions import (
    member_ban,
    member_silence,
    member_suspend,
    member_warn,
    sanction_apply,
    sanction_expire_sweep,
    sanction_lift,
)
from .screening import (
    Screening,
    check_can_post,
    content_screen,
    posting_refusal,
    posts_held_for_review,
    refusal_reason,
)
from .trust import trust_level_recompute
from .words import blocked_word_add, blocked_word_remove

__all__ = [
    "Screening",
    "appeal_create",
    "audit_log_write",
    "blocked_word_add",
    "blocked_word_remove",
    "check_can_post",
    "content_held",
    "content_hide",
    "content_restore",
    "content_screen",
    "document_version_publish",
    "flag_create",
    "flag_weight",
    "MEMBERSHIP_QUEUE",
    "membership_application_approve",
    "membership_application_decline",
    "membership_application_queue",
    "member_ban",
    "member_silence",
    "member_suspend",
    "member_warn",
    "posting_refusal",
    "posts_held_for_review",
    "refusal_reason",
    "queue_item_add",
    "queue_item_approve",
    "queue_item_claim",
    "queue_item_reject",
    "queue_items_bulk",
    "queue_items_overdue_sweep",
    "rules_accept",
    "rules_accept_on_signup",
    "sanction_apply",
    "sanction_expire_sweep",
    "sanction_lift",
    "trust_level_recompute",
]
