"""Who may read and write: nobody but the participants can read a conversation (IDOR on every
address with an id), moderators only once a message was flagged, and the sanctions, blocks
and "messages off" setting refuse what they should."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conversations import services
from conversations.models import Block, Conversation, Message, MessageSettings
from moderation.models import AuditLogEntry
from tests.conversations.factories import conversation_between
from tests.factories import MemberFactory, ModeratorFactory, logged_in

pytestmark = pytest.mark.django_db

LATER = timedelta(days=3)


def every_address(pk):
    return [
        ("get", f"/messages/{pk}/"),
        ("post", f"/messages/{pk}/reply/"),
        ("post", f"/messages/{pk}/archive/"),
        ("post", f"/messages/{pk}/unarchive/"),
    ]


@pytest.mark.parametrize("viewer", ["other_member", "staff", "moderator"])
def test_nobody_else_can_read_or_touch_a_conversation(request, pair, viewer):
    """IDOR: every address with a conversation id is a 404 to a member who takes no part,
    and to staff and moderators while nothing in it was flagged."""
    client = logged_in(request.getfixturevalue(viewer))
    for method, url in every_address(pair.pk):
        data = {"body": "intrusion"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert "Hello there" not in response.content.decode()
    assert Message.objects.filter(body="intrusion").count() == 0
    assert not AuditLogEntry.objects.exists()


def test_a_missing_conversation_looks_the_same(alice):
    client = logged_in(alice)
    assert client.get("/messages/999999/").status_code == 404
    assert client.get(f"/messages/{2**63}/").status_code == 404
    assert client.get(f"/messages/{10**30}/").status_code == 404
    assert client.post(f"/messages/{10**30}/reply/", {"body": "x"}).status_code == 404


def test_a_member_who_left_nothing_reads_only_their_own(alice, bob, carol):
    mine = conversation_between(alice, bob)
    theirs = conversation_between(bob, carol)
    client = logged_in(alice)
    assert client.get(f"/messages/{mine.pk}/").status_code == 200
    assert client.get(f"/messages/{theirs.pk}/").status_code == 404


def test_notifications_about_a_conversation_stay_with_its_participants(pair, alice, bob, carol):
    logged_in(alice).post(f"/messages/{pair.pk}/reply/", {"body": "Ping"})
    assert "Hello there" in logged_in(bob).get("/notifications/").content.decode()
    assert "Hello there" not in logged_in(carol).get("/notifications/").content.decode()


# --- sanctions -----------------------------------------------------------------------------


def test_silenced_member_cannot_start_a_conversation(alice, bob):
    alice.silenced_until = timezone.now() + LATER
    alice.save()
    client = logged_in(alice)
    page = client.get("/messages/new/?to=bob")
    assert page.status_code == 200 and "silenced" in page.content.decode()
    assert 'action="/messages/new/"' not in page.content.decode()
    response = client.post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_silenced_member_answers_only_the_team(alice, bob, staff):
    alice.silenced_until = timezone.now() + LATER
    alice.save()
    with_member = conversation_between(bob, alice)
    with_staff = conversation_between(staff, alice, subject="About your sanction")
    client = logged_in(alice)
    page = client.get(f"/messages/{with_member.pk}/").content.decode()
    assert "only answer the moderators and staff" in page and 'id="reply"' not in page
    response = client.post(f"/messages/{with_member.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 400 and not Message.objects.filter(author=alice).exists()
    response = client.post(f"/messages/{with_staff.pk}/reply/", {"body": "Sorry"})
    assert response.status_code == 302
    assert Message.objects.filter(author=alice, conversation=with_staff).exists()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("banned_at", timezone.now(), "banned"),
        ("suspended_until", timezone.now() + LATER, "suspended"),
    ],
)
def test_banned_or_suspended_member_cannot_write_at_all(alice, bob, staff, field, value, reason):
    conversation = conversation_between(staff, alice)
    setattr(alice, field, value)
    alice.save()
    client = logged_in(alice)
    # The site ends a banned or suspended member's session: both send to log-in.
    response = client.post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"/messages/{conversation.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # And the services refuse them in their own right.
    with pytest.raises(PermissionDenied, match=reason):
        services.conversation_start(actor=alice, recipients=[bob], subject="S", body="B")
    with pytest.raises(PermissionDenied, match=reason):
        services.message_send(actor=alice, conversation=conversation, body="Hi")
    assert not Message.objects.filter(author=alice).exists()
    assert Conversation.objects.count() == 1


def test_banned_member_cannot_be_written_to(alice, bob):
    bob.banned_at = timezone.now()
    bob.save()
    response = logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 400 and "cannot receive messages" in response.content.decode()


# --- blocking ------------------------------------------------------------------------------


def test_block_from_the_profile_and_unblock(alice, bob):
    client = logged_in(bob)
    page = client.get("/messages/block/alice/")
    assert page.status_code == 200 and "Block" in page.content.decode()
    assert client.post("/messages/block/alice/", {"action": "block"}).status_code == 302
    assert Block.objects.filter(blocker=bob, blocked=alice).exists()
    assert "You have blocked" in client.get("/messages/block/alice/").content.decode()
    assert "alice" in client.get("/messages/settings/").content.decode()
    client.post("/messages/block/alice/", {"action": "unblock"})
    assert not Block.objects.exists()


def test_blocked_member_cannot_start_a_conversation(alice, bob):
    Block.objects.create(blocker=bob, blocked=alice)
    response = logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 400
    assert "does not accept private messages from you" in response.content.decode()
    assert not Conversation.objects.exists()


def test_blocked_member_cannot_reply_where_the_blocker_takes_part(pair, alice, bob):
    Block.objects.create(blocker=alice, blocked=bob)
    client = logged_in(bob)
    page = client.get(f"/messages/{pair.pk}/").content.decode()
    assert "has blocked you" in page and 'id="reply"' not in page
    response = client.post(f"/messages/{pair.pk}/reply/", {"body": "Let me in"})
    assert response.status_code == 400
    assert not Message.objects.filter(author=bob).exists()
    # The blocker can still write; they cannot start a conversation with whom they blocked.
    assert logged_in(alice).post(f"/messages/{pair.pk}/reply/", {"body": "Bye"}).status_code == 302
    response = logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 400 and "unblock them first" in response.content.decode()


def test_staff_cannot_be_blocked_and_blocks_do_not_stop_them(alice, staff):
    client = logged_in(alice)
    assert "cannot be blocked" in client.get(f"/messages/block/{staff.username}/").content.decode()
    client.post(f"/messages/block/{staff.username}/", {"action": "block"})
    assert not Block.objects.exists()


def test_one_cannot_block_oneself_or_an_unknown_member(alice):
    client = logged_in(alice)
    assert client.get("/messages/block/alice/").status_code == 404
    assert client.get("/messages/block/nobody-here/").status_code == 404
    assert client.post("/messages/block/nobody-here/", {"action": "block"}).status_code == 404


# --- messages turned off -------------------------------------------------------------------


def test_members_can_turn_messages_off_but_staff_still_write(alice, bob, staff):
    client = logged_in(bob)
    assert client.get("/messages/settings/").status_code == 200
    response = client.post("/messages/settings/", {"accept_from": "nobody"})
    assert response.status_code == 302
    assert MessageSettings.objects.get(member=bob).accept_from == "nobody"
    response = logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 400
    assert "does not accept private messages" in response.content.decode()
    response = logged_in(staff).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 302
    client.post("/messages/settings/", {"accept_from": "everyone"})
    response = logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert response.status_code == 302


def test_messages_off_keeps_existing_conversations_open(pair, alice, bob):
    MessageSettings.objects.create(member=bob, accept_from="nobody")
    assert logged_in(alice).post(f"/messages/{pair.pk}/reply/", {"body": "Hi"}).status_code == 302


def test_bad_settings_value_is_a_form_error(alice):
    response = logged_in(alice).post("/messages/settings/", {"accept_from": "friends"})
    assert response.status_code == 400
    assert not MessageSettings.objects.exists()


def test_a_moderator_participant_may_write_to_a_silenced_member(alice):
    moderator = ModeratorFactory()
    alice.silenced_until = timezone.now() + LATER
    alice.save()
    MemberFactory()
    response = logged_in(moderator).post(
        "/messages/new/", {"to": "alice", "subject": "Your sanction", "body": "Let us talk."}
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert (
        logged_in(alice).post(f"/messages/{conversation.pk}/reply/", {"body": "OK"}).status_code
        == 302
    )
