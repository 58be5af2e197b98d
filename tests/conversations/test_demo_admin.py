"""The demo seeder, the back office, and the pages in Russian."""

import pytest

from config.seeding import SeedContext
from conversations import demo
from conversations.models import Conversation, Message, Participant
from members import demo as members_demo
from tests.factories import logged_in

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_few_conversations_once():
    ctx = SeedContext(quiet=True)
    ctx.sizes.update(members=30, activity_days=50)
    members_demo.seed(ctx)
    demo.seed(ctx)
    assert Conversation.objects.count() == 4
    assert Message.objects.count() >= 9
    staff_talk = Conversation.objects.get(subject=demo.STAFF_SUBJECT)
    assert staff_talk.created_by.is_staff and staff_talk.participants.count() == 4
    assert Participant.objects.filter(last_read_at__isnull=True).count() == 3
    for conversation in Conversation.objects.all():
        assert conversation.messages.count() and conversation.participants.count() >= 2
    demo.seed(ctx)  # idempotent
    assert Conversation.objects.count() == 4


def test_admin_lists_conversations_without_their_text(client, staff, pair):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    page = client.get("/admin/conversations/conversation/")
    assert page.status_code == 200 and "First message" not in page.content.decode()
    assert client.get("/admin/conversations/block/").status_code == 200
    assert client.get("/admin/conversations/messagesettings/").status_code == 200
    assert client.get("/admin/conversations/message/").status_code == 404


def test_pages_in_russian(pair, bob):
    bob.preferred_language = "ru"
    bob.save()
    client = logged_in(bob)
    assert "Сообщения" in client.get("/messages/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    html = client.get(f"/messages/{pair.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Личная переписка" in html and "В архив" in html
