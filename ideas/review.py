"""Callbacks of the moderation inbox's "new ideas" queue: approving accepts the idea into
review, rejecting declines it (both are staff decisions and go through the idea services)."""

from django.utils.translation import gettext as _

from members.models import Member
from moderation.models import QueueItem

from . import services
from .models import Idea


def queue_approve(item: QueueItem, moderator: Member, message: str = "") -> None:
    idea = Idea.objects.filter(pk=item.target_id).first()
    if idea is not None and idea.status == Idea.Status.NEW:
        services.idea_review_accept(actor=moderator, idea=idea, note=message)


def queue_reject(item: QueueItem, moderator: Member, message: str = "") -> None:
    idea = Idea.objects.filter(pk=item.target_id).first()
    if idea is not None and idea.status == Idea.Status.NEW:
        services.idea_review_decline(
            actor=moderator,
            idea=idea,
            note=message or _("Thank you for the idea; we will not pursue it."),
        )
