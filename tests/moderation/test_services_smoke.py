import pytest

from moderation import services
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, QueueItem
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory, new_member

pytestmark = pytest.mark.django_db


def test_smoke_hold_and_approve(moderator, rule):
    author = new_member()
    screening = services.content_screen(author=author, text="hello there", kind="comment")
    assert screening.hold
    c = CommentFactory(author=author, moderation_state=ModerationState.HELD)
    item = services.content_held(target=c, author=author, reasons=screening.reasons)
    assert item.priority == 10
    services.queue_item_approve(actor=moderator, item=item)
    c.refresh_from_db()
    assert c.moderation_state == ModerationState.PUBLISHED
    assert AuditLogEntry.objects.count() == 1


def test_smoke_flags(rule):
    c = CommentFactory()
    for _ in range(3):
        services.flag_create(flagger=MemberFactory(), target=c, rule=rule)
    c.refresh_from_db()
    assert c.moderation_state == ModerationState.HIDDEN
    assert QueueItem.objects.get().queue == "flagged"
