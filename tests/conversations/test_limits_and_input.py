"""Rate limits by trust level, query counts of the pages, and hostile input."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.models import Conversation, Message
from tests.conversations.factories import add_message, conversation_between
from tests.factories import MemberFactory, logged_in

pytestmark = pytest.mark.django_db


# --- rate limits ---------------------------------------------------------------------------


def test_new_conversations_per_day_by_trust_level(settings, alice, bob):
    settings.VECHE_MESSAGE_CONVERSATIONS_PER_DAY = {0: 1, 1: 2, 2: 2, 3: 5}
    client = logged_in(alice)
    for i in range(2):
        response = client.post("/messages/new/", {"to": "bob", "subject": f"S{i}", "body": "B"})
        assert response.status_code == 302
    response = client.post("/messages/new/", {"to": "bob", "subject": "S3", "body": "B"})
    assert response.status_code == 400
    assert "2 conversations in the last 24 hours" in response.content.decode()
    assert Conversation.objects.count() == 2
    # A day later the limit is free again.
    Conversation.objects.update(created_at=timezone.now() - timedelta(days=2))
    response = client.post("/messages/new/", {"to": "bob", "subject": "S4", "body": "B"})
    assert response.status_code == 302


def test_new_members_have_the_lowest_limit(settings, bob):
    settings.VECHE_MESSAGE_CONVERSATIONS_PER_DAY = {0: 1, 1: 5, 2: 5, 3: 5}
    newbie = MemberFactory(trust_level=0)
    client = logged_in(newbie)
    assert (
        client.post("/messages/new/", {"to": "bob", "subject": "a", "body": "B"}).status_code == 302
    )
    assert (
        client.post("/messages/new/", {"to": "bob", "subject": "b", "body": "B"}).status_code == 400
    )


def test_messages_per_minute(settings, pair, bob):
    settings.VECHE_MESSAGE_RATE_PER_MINUTE = {0: 2, 1: 2, 2: 2, 3: 2}
    client = logged_in(bob)
    for _ in range(2):
        assert client.post(f"/messages/{pair.pk}/reply/", {"body": "x"}).status_code == 302
    response = client.post(f"/messages/{pair.pk}/reply/", {"body": "x"})
    assert response.status_code == 400 and "too fast" in response.content.decode()
    assert Message.objects.filter(author=bob).count() == 2


def test_staff_have_no_limits(settings, staff, bob):
    settings.VECHE_MESSAGE_CONVERSATIONS_PER_DAY = {0: 0, 1: 0, 2: 0, 3: 0}
    settings.VECHE_MESSAGE_RATE_PER_MINUTE = {0: 0, 1: 0, 2: 0, 3: 0}
    client = logged_in(staff)
    for i in range(3):
        response = client.post("/messages/new/", {"to": "bob", "subject": f"S{i}", "body": "B"})
        assert response.status_code == 302


# --- query counts --------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_inbox_query_count_is_pinned_and_constant(alice, django_assert_max_num_queries):
    client = logged_in(alice)
    conversation_between(MemberFactory(), alice)
    _queries(client, "/messages/")  # the first request of a session fills its caches
    _queries(client, "/messages/")  # the member's row again: the day's visit touched it
    small = _queries(client, "/messages/")
    for _ in range(12):
        conversation_between(MemberFactory(), alice, MemberFactory())
    assert _queries(client, "/messages/") == small
    with django_assert_max_num_queries(4):
        client.get("/messages/")


def test_conversation_query_count_is_pinned_and_constant(
    pair, alice, bob, django_assert_max_num_queries
):
    client = logged_in(bob)
    client.get(f"/messages/{pair.pk}/")  # read (and the session's caches filled)
    client.get(f"/messages/{pair.pk}/")  # the member's row again: the day's visit touched it
    small = _queries(client, f"/messages/{pair.pk}/")
    for i in range(20):
        add_message(pair, alice if i % 2 else bob, f"m{i}")
    client.get(f"/messages/{pair.pk}/")
    assert _queries(client, f"/messages/{pair.pk}/") == small
    with django_assert_max_num_queries(5):
        client.get(f"/messages/{pair.pk}/")


# --- hostile input -------------------------------------------------------------------------


def test_over_long_fields_are_form_errors(alice, bob):
    client = logged_in(alice)
    response = client.post(
        "/messages/new/", {"to": "bob", "subject": "s" * 201, "body": "b" * 20001}
    )
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert not Conversation.objects.exists()
    conversation = conversation_between(alice, bob)
    response = client.post(f"/messages/{conversation.pk}/reply/", {"body": "b" * 20001})
    assert response.status_code == 400


def test_unknown_usernames_are_named(alice, bob):
    response = logged_in(alice).post(
        "/messages/new/", {"to": "bob, ghost, @phantom", "subject": "S", "body": "B"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ghost" in html and "phantom" in html
    assert not Conversation.objects.exists()


def test_script_in_a_message_is_sanitized(pair, alice, bob):
    logged_in(alice).post(
        f"/messages/{pair.pk}/reply/",
        {"body": "<script>alert(1)</script> [x](javascript:alert(1))"},
    )
    html = logged_in(bob).get(f"/messages/{pair.pk}/").content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)" in html


def test_odd_to_parameter(alice):
    client = logged_in(alice)
    assert client.get("/messages/new/?to=" + "x" * 5000).status_code == 200
    assert client.get("/messages/new/?to=%00").status_code in (200, 400)
    assert client.get("/messages/block/" + "x" * 500 + "/").status_code == 404


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    to=st.text(max_size=300),
    subject=st.text(max_size=250),
    body=st.text(max_size=300),
)
def test_the_new_conversation_form_never_fails(alice, bob, to, subject, body):
    response = logged_in(alice).post("/messages/new/", {"to": to, "subject": subject, "body": body})
    assert response.status_code in (302, 400)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pk=st.integers(min_value=-5, max_value=10**25))
def test_any_conversation_id_is_a_404_not_a_500(alice, pk):
    client = logged_in(alice)
    assert client.get(f"/messages/{pk}/").status_code == 404
    assert client.post(f"/messages/{pk}/reply/", {"body": "x"}).status_code == 404
