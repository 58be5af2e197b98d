"""Flags on private messages: any participant flags, the flag reaches the moderation inbox,
and only then may a moderator who takes no part open the conversation — each visit audited."""

import pytest
from django.contrib.contenttypes.models import ContentType

from conversations.models import Conversation, Message
from moderation.models import AuditLogEntry, Flag, QueueItem
from moderation.services.screening import member_published_post_count
from tests.conversations.factories import add_message, conversation_between, flag_url
from tests.factories import MemberFactory, ModeratorFactory, logged_in

pytestmark = pytest.mark.django_db


def test_flag_reaches_the_inbox_and_opens_the_conversation_to_moderators(
    pair, alice, bob, staff, rule
):
    message = pair.messages.get()
    moderator = ModeratorFactory()
    # Before any flag: not even staff may look.
    assert logged_in(staff).get(f"/messages/{pair.pk}/").status_code == 404
    page = logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()
    assert flag_url(message) in page  # the participant sees the flag control
    response = logged_in(bob).post(
        flag_url(message), {"rule": rule.pk, "note": "spam", "next": f"/messages/{pair.pk}/"}
    )
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert flag.member == alice and flag.target == message
    item = QueueItem.objects.get(queue="flagged")
    assert item.target == message and item.resolved_at is None
    inbox = logged_in(moderator).get("/moderation/").content.decode()
    assert "First message" in inbox  # the excerpt of the flagged message
    ct = ContentType.objects.get_for_model(Message)
    go = logged_in(moderator).get(f"/moderation/content/{ct.pk}/{message.pk}/")
    assert go.status_code == 302 and go["Location"] == f"/messages/{pair.pk}/#m-{message.pk}"
    page = logged_in(moderator).get(f"/messages/{pair.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "First message" in html and "recorded in the audit log" in html
    assert 'id="reply"' not in html  # they read; they do not write
    entry = AuditLogEntry.objects.get(action="conversations.flagged_view")
    assert entry.actor == moderator and entry.target == pair
    assert logged_in(staff).get(f"/messages/{pair.pk}/").status_code == 200
    assert AuditLogEntry.objects.filter(action="conversations.flagged_view").count() == 2
    # A moderator still may not write in it, nor archive it.
    client = logged_in(moderator)
    assert client.post(f"/messages/{pair.pk}/reply/", {"body": "x"}).status_code == 404
    assert client.post(f"/messages/{pair.pk}/archive/").status_code == 404


def test_a_flag_elsewhere_opens_no_other_conversation(alice, bob, carol, staff, rule):
    flagged = conversation_between(alice, bob)
    private = conversation_between(alice, carol)
    logged_in(bob).post(flag_url(flagged.messages.get()), {"rule": rule.pk})
    client = logged_in(staff)
    assert client.get(f"/messages/{flagged.pk}/").status_code == 200
    assert client.get(f"/messages/{private.pk}/").status_code == 404


def test_outsiders_cannot_flag_a_private_message(pair, carol, rule):
    message = pair.messages.get()
    assert logged_in(carol).get(flag_url(message)).status_code == 404
    assert logged_in(carol).post(flag_url(message), {"rule": rule.pk}).status_code == 404
    assert not Flag.objects.exists()


def test_one_cannot_flag_ones_own_message(pair, alice, rule):
    message = pair.messages.get()
    logged_in(alice).post(flag_url(message), {"rule": rule.pk})
    assert not Flag.objects.exists()


def test_moderator_can_hide_a_flagged_message(pair, bob, rule):
    message = pair.messages.get()
    logged_in(bob).post(flag_url(message), {"rule": rule.pk})
    moderator = ModeratorFactory()
    ct = ContentType.objects.get_for_model(Message)
    response = logged_in(moderator).post(
        f"/moderation/content/{ct.pk}/{message.pk}/hide/",
        {"rule": rule.pk, "reason": "Spam", "next": f"/messages/{pair.pk}/"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.moderation_state == "hidden"
    assert "hidden by a moderator" in logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()


def test_staff_participant_is_not_audited(staff, alice):
    conversation = conversation_between(staff, alice)
    add_message(conversation, alice, "Reply")
    assert logged_in(staff).get(f"/messages/{conversation.pk}/").status_code == 200
    assert not AuditLogEntry.objects.exists()
    assert Conversation.objects.count() == 1


def test_private_messages_do_not_count_as_posts(bob):
    """A new member cannot get past the review of their first posts by writing messages."""
    newbie = MemberFactory(trust_level=0)
    for i in range(4):
        conversation_between(newbie, bob, body=f"Hello {i}")
    assert member_published_post_count(newbie) == 0


def test_the_audit_log_names_the_visit(pair, bob, staff, rule):
    logged_in(bob).post(flag_url(pair.messages.get()), {"rule": rule.pk})
    logged_in(staff).get(f"/messages/{pair.pk}/")
    html = logged_in(staff).get("/moderation/log/").content.decode()
    assert "Flagged private conversation opened" in html
