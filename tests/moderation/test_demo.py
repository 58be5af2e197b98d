import pytest

from config.seeding import SeedContext
from members import demo as members_demo
from moderation import demo
from moderation.models import AuditLogEntry, DocumentVersion, Flag, QueueItem, Sanction
from tests.moderation.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_rules_flags_queues_sanctions_and_is_idempotent():
    ctx = SeedContext(
        quiet=True, sizes={"members": 40, "activity_days": 100, "flags": 300, "history_days": 60}
    )
    members_demo.seed(ctx)
    from members.models import Member

    authors = list(Member.objects.filter(is_staff=False)[:20])
    for a in authors:
        CommentFactory.create_batch(5, author=a)
    demo.seed(ctx)
    assert DocumentVersion.objects.filter(document__slug="rules", number=2).exists()
    assert Flag.objects.count() == 300
    assert QueueItem.objects.filter(queue="approval").exists()
    assert QueueItem.objects.filter(queue="flagged").exists()
    assert Sanction.objects.exists() and AuditLogEntry.objects.count() > 50
    before = Flag.objects.count()
    demo.seed(ctx)
    assert Flag.objects.count() == before
