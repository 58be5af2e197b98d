import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from members.models import Member, Notification, OutboundEmail
from members.notifications import TARGET_VISIBILITY
from members.services import notification_send, unsubscribe_url
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_notification_reaches_list_count_and_email_once(client, django_capture_on_commit_callbacks):
    actor, a, b = MemberFactory(), MemberFactory(), MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        told = notification_send(
            recipients=[a, b, a, actor],
            kind="system",
            actor=actor,
            params={"title": "Hello there"},
            url="/members/",
        )
    assert told == 2
    assert Notification.objects.count() == 2
    assert Member.objects.get(pk=a.pk).unread_notifications == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    client.force_login(a)
    page = client.get(reverse("members:notifications"))
    assert "Hello there" in page.content.decode()
    client.post(reverse("members:notifications-read"))
    assert Member.objects.get(pk=a.pk).unread_notifications == 0


def test_email_preference_off_means_no_email_but_still_in_site():
    a = MemberFactory(email_preferences={"system": False})
    notification_send(recipients=[a], kind="system", params={"title": "x"})
    assert Notification.objects.filter(recipient=a).count() == 1
    assert OutboundEmail.objects.count() == 0


def test_one_click_unsubscribe(client):
    a = MemberFactory()
    url = unsubscribe_url(member=a, kind="system")
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert client.post("/" + path).status_code == 200
    a.refresh_from_db()
    assert a.email_preferences["system"] is False


def test_a_forged_unsubscribe_token_is_a_404_page(client):
    response = client.get(reverse("members:unsubscribe", args=["forged-token"]))
    assert response.status_code == 404


def test_notifications_page_requires_login(client):
    assert client.get(reverse("members:notifications")).status_code == 302


@pytest.mark.parametrize("count", [3, 30])
def test_notification_list_query_count_is_constant(client, count, django_assert_num_queries):
    a = MemberFactory()
    actor = MemberFactory()
    for i in range(count):
        notification_send(recipients=[a], kind="system", actor=actor, params={"title": str(i)})
    client.force_login(a)
    client.get("/")
    # The content types of the notifications' targets, kept per process by Django: warm in a
    # running server and after any earlier test, cold when this test runs first in its worker.
    ContentType.objects.get_for_models(*TARGET_VISIBILITY)
    # member, count, page with actors (session and moderator flag come from the cache)
    with django_assert_num_queries(3):
        client.get(reverse("members:notifications"))
