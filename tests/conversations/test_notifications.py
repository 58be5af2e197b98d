"""A new message notifies the other participants through the notifications registry and the
outbox, in each recipient's language, once per conversation until they read it."""

import pytest

from conversations.models import Participant
from members.models import Notification, OutboundEmail
from tests.factories import logged_in

pytestmark = pytest.mark.django_db


def emails_to(member):
    return OutboundEmail.objects.filter(recipient=member, kind="private_message")


def test_a_new_conversation_notifies_and_emails_the_recipient(alice, bob):
    logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "Lunch?", "body": "Noon?"})
    notification = Notification.objects.get(recipient=bob, kind="private_message")
    assert notification.url.startswith("/messages/") and notification.actor == alice
    [email] = emails_to(bob)
    assert email.to == bob.email and "Lunch?" in email.subject and alice.name in email.subject
    assert not emails_to(alice).exists()


def test_one_email_per_conversation_until_it_is_read(pair, alice, bob):
    client = logged_in(alice)
    for body in ("one", "two", "three"):
        client.post(f"/messages/{pair.pk}/reply/", {"body": body})
    assert emails_to(bob).count() == 1
    assert Notification.objects.filter(recipient=bob, kind="private_message").count() == 1
    bob.refresh_from_db()
    assert bob.unread_notifications == 1
    # Reading the conversation clears its notification and the bell's count.
    logged_in(bob).get(f"/messages/{pair.pk}/")
    bob.refresh_from_db()
    assert bob.unread_notifications == 0
    assert Notification.objects.get(recipient=bob).read_at is not None
    client.post(f"/messages/{pair.pk}/reply/", {"body": "four"})
    assert emails_to(bob).count() == 2


def test_email_in_the_recipients_language(alice, bob):
    bob.preferred_language = "ru"
    bob.save()
    logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "Обед", "body": "В полдень?"})
    [email] = emails_to(bob)
    assert "написал(а) вам" in email.subject


def test_the_email_preference_turns_the_email_off(alice, bob):
    bob.email_preferences = {"private_message": False}
    bob.save()
    logged_in(alice).post("/messages/new/", {"to": "bob", "subject": "S", "body": "B"})
    assert not emails_to(bob).exists()
    assert Notification.objects.filter(recipient=bob, kind="private_message").exists()


def test_the_preference_is_on_the_settings_page(bob):
    assert "Private messages to you" in logged_in(bob).get("/settings/").content.decode()


def test_the_bell_shows_the_message(pair, alice, bob):
    logged_in(alice).post(f"/messages/{pair.pk}/reply/", {"body": "Ping"})
    html = logged_in(bob).get("/notifications/").content.decode()
    assert "wrote to you" in html and "Hello there" in html
    assert Participant.objects.get(member=bob).notified_at is not None
