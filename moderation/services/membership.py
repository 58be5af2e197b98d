"""The membership applications of a private community, as a queue of the moderation inbox:
members records the application and sends ``member_applied``; moderation queues it, and a
moderator's decision in the inbox approves or declines it through members' own service."""

from members.models import Member, MembershipApplication
from members.services_club import membership_application_decide

from ..models import QueueItem
from .queues import queue_item_add

MEMBERSHIP_QUEUE = "membership"


def membership_application_queue(*, application: MembershipApplication) -> QueueItem:
    """The answers, one "question: answer" a line, are what the moderator reads."""
    lines = [f"{a.get('question', '')}: {a.get('answer', '')}" for a in application.answers]
    return queue_item_add(
        queue=MEMBERSHIP_QUEUE,
        target=application,
        member_id=application.member_id,
        reason="\n".join(lines)[:4000],
    )


def membership_application_approve(item: QueueItem, moderator: Member, message: str = "") -> None:
    if isinstance(application := item.target, MembershipApplication):
        membership_application_decide(
            actor=moderator, application=application, approve=True, reason=message
        )


def membership_application_decline(item: QueueItem, moderator: Member, message: str = "") -> None:
    if isinstance(application := item.target, MembershipApplication):
        membership_application_decide(
            actor=moderator, application=application, approve=False, reason=message
        )
