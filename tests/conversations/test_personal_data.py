"""Export my data and delete my account, for private messages."""

import pytest
from django.core.cache import cache

from conversations import privacy
from conversations.models import Block, Message, MessageSettings, Participant
from members.models import CommunitySettings
from members.personal_data import SOURCES
from members.services_privacy import member_erase
from tests.conversations.factories import add_message, conversation_between
from tests.factories import logged_in

pytestmark = pytest.mark.django_db


def test_export_holds_my_conversations_messages_and_blocks(pair, alice, bob, carol):
    add_message(pair, bob, "Bob's words")
    conversation_between(bob, carol, subject="Not Alice's")
    Block.objects.create(blocker=alice, blocked=carol)
    MessageSettings.objects.create(member=alice, accept_from="nobody")
    assert {"conversations.conversations", "conversations.messages", "conversations.blocks"} <= set(
        SOURCES
    )
    conversations = privacy.export_conversations(alice)
    assert [row["conversation__subject"] for row in conversations] == ["Hello there"]
    messages = privacy.export_messages(alice)
    assert [row["body"] for row in messages] == ["First message"]
    blocks = privacy.export_blocks(alice)
    assert {"blocked__username": "carol"}.items() <= blocks[0].items()
    assert blocks[1] == {"accept_from": "nobody"}


def test_erased_members_messages_stay_under_deleted_member(pair, alice, bob, carol):
    Block.objects.create(blocker=alice, blocked=carol)
    Block.objects.create(blocker=carol, blocked=alice)
    member_erase(actor=alice, member=alice)
    assert not Block.objects.exists()
    message = Message.objects.get(author=alice)
    assert message.body == "First message" and message.deleted_at is None
    html = logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()
    assert "Deleted member" in html and "First message" in html
    # Nobody writes to the placeholder, and no notification goes to it.
    response = logged_in(bob).post(f"/messages/{pair.pk}/reply/", {"body": "Still there?"})
    assert response.status_code == 302
    assert Participant.objects.get(member=alice).notified_at is None


def test_erased_members_messages_are_removed_when_the_community_says_so(pair, alice, bob):
    row = CommunitySettings.objects.first() or CommunitySettings.objects.create()
    CommunitySettings.objects.filter(pk=row.pk).update(
        deleted_member_posts=CommunitySettings.DeletedPosts.REMOVE
    )
    cache.clear()
    member_erase(actor=alice, member=alice)
    message = Message.objects.get(author=alice)
    assert message.deleted_at is not None and "First message" not in message.body
    html = logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()
    assert "This message was deleted." in html and "First message" not in html
