"""The pages of private messages, for every role: visitor, participant, other member,
moderator and staff who take no part, and what is stored."""

import pytest
from django.urls import reverse

from conversations.models import Conversation, Message, Participant
from tests.conversations.factories import add_message, conversation_between
from tests.factories import MemberFactory, ModeratorFactory, logged_in

pytestmark = pytest.mark.django_db


def conversation_urls(pk):
    return {
        "get": [f"/messages/{pk}/"],
        "post": [
            f"/messages/{pk}/reply/",
            f"/messages/{pk}/archive/",
            f"/messages/{pk}/unarchive/",
        ],
    }


@pytest.mark.parametrize(
    "url",
    ["/messages/", "/messages/new/", "/messages/settings/", "/messages/block/bob/", "/messages/1/"],
)
def test_visitors_are_sent_to_log_in(client, url, bob):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_visitors_cannot_post_a_reply(client, pair):
    response = client.post(f"/messages/{pair.pk}/reply/", {"body": "hi"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert Message.objects.count() == 1


def test_start_a_conversation_and_read_it(alice, bob):
    client = logged_in(alice)
    page = client.get("/messages/new/?to=bob")
    assert page.status_code == 200 and 'value="bob"' in page.content.decode()
    response = client.post(
        "/messages/new/", {"to": "@bob", "subject": "About SSO", "body": "Do you use **SAML**?"}
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messages/{conversation.pk}/"
    assert set(conversation.participants.values_list("member__username", flat=True)) == {
        "alice",
        "bob",
    }
    message = Message.objects.get()
    assert message.author == alice and "<strong>SAML</strong>" in message.body_html
    page = logged_in(bob).get(f"/messages/{conversation.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "About SSO" in html and "<strong>SAML</strong>" in html and 'id="reply"' in html


def test_reply_in_place_and_without_javascript(pair, alice, bob):
    client = logged_in(bob)
    response = client.post(f"/messages/{pair.pk}/reply/", {"body": "Hi Alice"})
    message = Message.objects.get(author=bob)
    assert response.status_code == 302 and response["Location"].endswith(f"#m-{message.pk}")
    response = client.post(
        f"/messages/{pair.pk}/reply/", {"body": "And again"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "And again" in html and 'hx-swap-oob="beforeend:#messages"' in html
    assert Message.objects.filter(conversation=pair).count() == 3


def test_empty_reply_is_a_form_error(pair, bob):
    response = logged_in(bob).post(f"/messages/{pair.pk}/reply/", {"body": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = logged_in(bob).post(
        f"/messages/{pair.pk}/reply/", {"body": ""}, headers={"HX-Request": "true"}
    )
    # htmx swaps only a 2xx answer: the form comes back in place with its error.
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_inbox_lists_newest_first_and_marks_unread(alice, bob, carol):
    older = conversation_between(carol, bob, subject="Older talk")
    newer = conversation_between(alice, bob, subject="Newer talk")
    conversation_between(alice, carol, subject="Not for Bob")
    html = logged_in(bob).get("/messages/").content.decode()
    assert html.index("Newer talk") < html.index("Older talk")
    assert "Not for Bob" not in html
    assert html.count("conversation unread") == 2
    logged_in(bob).get(f"/messages/{newer.pk}/")
    html = logged_in(bob).get("/messages/").content.decode()
    assert html.count("conversation unread") == 1
    assert f'class="card conversation unread" id="conversation-{older.pk}"' in html
    # The sender has read their own message.
    assert "conversation unread" not in logged_in(alice).get("/messages/").content.decode()


def test_a_new_message_marks_the_conversation_unread_again(pair, alice, bob):
    logged_in(bob).get(f"/messages/{pair.pk}/")
    assert "conversation unread" not in logged_in(bob).get("/messages/").content.decode()
    logged_in(alice).post(f"/messages/{pair.pk}/reply/", {"body": "Are you there?"})
    assert "conversation unread" in logged_in(bob).get("/messages/").content.decode()


def test_inbox_is_paged(alice, bob):
    for i in range(35):
        conversation_between(alice, bob, subject=f"Talk {i}")
    client = logged_in(bob)
    first = client.get("/messages/").content.decode()
    assert first.count('class="card conversation') == 30 and 'rel="next"' in first
    second = client.get("/messages/?page=2").content.decode()
    assert second.count('class="card conversation') == 5
    assert client.get("/messages/?page=abc").status_code == 200


def test_archive_and_bring_back(pair, alice, bob):
    client = logged_in(bob)
    assert client.post(f"/messages/{pair.pk}/archive/").status_code == 302
    assert "Hello there" not in client.get("/messages/").content.decode()
    assert "Hello there" in client.get("/messages/?archived=1").content.decode()
    # The archived conversation still opens, and a new message brings it back.
    assert client.get(f"/messages/{pair.pk}/").status_code == 200
    logged_in(alice).post(f"/messages/{pair.pk}/reply/", {"body": "Ping"})
    assert "Hello there" in client.get("/messages/").content.decode()
    client.post(f"/messages/{pair.pk}/archive/")
    client.post(f"/messages/{pair.pk}/unarchive/")
    assert Participant.objects.get(member=bob).left_at is None


def test_archive_needs_post(pair, bob):
    assert logged_in(bob).get(f"/messages/{pair.pk}/archive/").status_code == 405


def test_profile_links_to_messages_and_blocking(alice, bob):
    html = logged_in(alice).get(bob.get_absolute_url()).content.decode()
    assert "/messages/new/?to=bob" in html and "/messages/block/bob/" in html
    own = logged_in(bob).get(bob.get_absolute_url()).content.decode()
    assert "/messages/new/?to=bob" not in own


def test_header_menu_links_to_messages(alice):
    html = logged_in(alice).get("/messages/settings/").content.decode()
    assert 'href="/messages/"' in html


def test_several_recipients_and_the_limit(settings, alice):
    settings.VECHE_MESSAGE_MAX_RECIPIENTS = 2
    MemberFactory(username="r1"), MemberFactory(username="r2"), MemberFactory(username="r3")
    client = logged_in(alice)
    response = client.post("/messages/new/", {"to": "r1, r2 r3", "subject": "S", "body": "B"})
    assert response.status_code == 400
    assert "at most 2 members" in response.content.decode()
    response = client.post("/messages/new/", {"to": "r1, r2", "subject": "S", "body": "B"})
    assert response.status_code == 302
    assert Conversation.objects.get().participants.count() == 3


def test_staff_may_write_to_many_members(staff):
    for i in range(10):
        MemberFactory(username=f"m{i}")
    to = ", ".join(f"m{i}" for i in range(10))
    response = logged_in(staff).post(
        "/messages/new/", {"to": to, "subject": "Announcement", "body": "Hello all"}
    )
    assert response.status_code == 302
    assert Conversation.objects.get().participants.count() == 11


def test_message_to_oneself_is_refused(alice):
    response = logged_in(alice).post("/messages/new/", {"to": "alice", "subject": "S", "body": "B"})
    assert response.status_code == 400
    assert "yourself" in response.content.decode()


def test_a_long_conversation_is_paged_latest_page_first(pair, alice, bob):
    for i in range(60):
        add_message(pair, alice if i % 2 else bob, f"Line number {i}")
    html = logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()
    assert "Line number 59" in html and "Line number 5<" not in html
    first = logged_in(bob).get(f"/messages/{pair.pk}/?page=1").content.decode()
    assert "First message" in first


def test_hidden_message_shows_as_hidden_to_the_other_participant(pair, alice, bob):
    Message.objects.filter(conversation=pair).update(moderation_state="hidden")
    html = logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()
    assert "hidden by a moderator" in html and "First message" not in html
    assert "First message" in logged_in(alice).get(f"/messages/{pair.pk}/").content.decode()


def test_moderator_participant_sees_the_conversation_as_a_participant(alice):
    moderator = ModeratorFactory()
    conversation = conversation_between(moderator, alice)
    html = logged_in(moderator).get(f"/messages/{conversation.pk}/").content.decode()
    assert "recorded in the audit log" not in html
