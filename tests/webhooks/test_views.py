"""Staff's pages: endpoints and the delivery log, for every role; forms and their errors;
query counts pinned."""

import pytest
from django.urls import reverse

from tests.factories import logged_in
from webhooks.models import Attempt, Delivery, EmbedOrigin, Endpoint, Event

pytestmark = pytest.mark.django_db


def _endpoint(**fields):
    defaults = {
        "name": "CRM",
        "url": "http://127.0.0.1:8129/",
        "allow_private": True,
        "events": [Event.QUESTION_CREATED],
    }
    return Endpoint.objects.create(**{**defaults, **fields})


def _pages(endpoint, delivery):
    return [
        reverse("webhooks:endpoint-list"),
        reverse("webhooks:endpoint-create"),
        reverse("webhooks:endpoint-detail", args=[endpoint.pk]),
        reverse("webhooks:delivery-list"),
        reverse("webhooks:delivery-detail", args=[delivery.pk]),
        reverse("webhooks:embed-origins"),
    ]


def _actions(endpoint, delivery):
    return [
        reverse("webhooks:endpoint-rotate", args=[endpoint.pk]),
        reverse("webhooks:endpoint-disable", args=[endpoint.pk]),
        reverse("webhooks:endpoint-enable", args=[endpoint.pk]),
        reverse("webhooks:endpoint-ping", args=[endpoint.pk]),
        reverse("webhooks:delivery-redeliver", args=[delivery.pk]),
        reverse("webhooks:endpoint-delete", args=[endpoint.pk]),
    ]


def test_visitors_are_sent_to_log_in(client):
    endpoint = _endpoint()
    delivery = Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}")
    for url in _pages(endpoint, delivery):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in _actions(endpoint, delivery):
        assert client.post(url).status_code == 302


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_are_refused(role, member, moderator):
    viewer = {"member": member, "moderator": moderator}[role]
    client = logged_in(viewer)
    endpoint = _endpoint()
    delivery = Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}")
    for url in _pages(endpoint, delivery):
        assert client.get(url).status_code == 403, url
    for url in _actions(endpoint, delivery):
        assert client.post(url).status_code == 403, url
    endpoint.refresh_from_db()
    assert endpoint.is_active and Delivery.objects.count() == 1


def test_staff_see_every_page(staff_client):
    endpoint = _endpoint(name="Support CRM")
    delivery = Delivery.objects.create(endpoint=endpoint, event=Event.PING, body='{"a":1}')
    Attempt.objects.create(delivery=delivery, status_code=502, duration_ms=87, error="Bad gateway")
    for url in _pages(endpoint, delivery):
        assert staff_client.get(url).status_code == 200, url
    page = staff_client.get(reverse("webhooks:delivery-detail", args=[delivery.pk])).content
    assert b"502" in page and b"87 ms" in page and b"Bad gateway" in page
    assert b"Support CRM" in staff_client.get(reverse("webhooks:endpoint-list")).content


def test_staff_register_an_endpoint(staff_client, staff):
    response = staff_client.post(
        reverse("webhooks:endpoint-create"),
        {
            "name": "Intranet",
            "url": "http://127.0.0.1:8129/in",
            "format": "slack",
            "events": ["question.created", "queue_item.overdue"],
            "allow_private": "on",
        },
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:endpoint-detail", args=[endpoint.pk])
    assert endpoint.events == ["question.created", "queue_item.overdue"]
    assert endpoint.format == "slack" and endpoint.created_by == staff
    assert endpoint.secret.startswith("whsec_")


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"url": "http://127.0.0.1:8129/in"}, b"private network"),
        ({"url": "not a url"}, b"Enter a valid URL"),
        ({"events": []}, b"This field is required"),
        ({"events": ["nope"]}, b"Select a valid choice"),
        ({"format": "telegram"}, b"needs the chat"),
    ],
)
def test_bad_endpoint_input_gets_a_form_error(staff_client, data, field_error):
    form = {
        "name": "X",
        "url": "http://127.0.0.1:8129/in",
        "format": "json",
        "events": ["question.created"],
        "allow_private": "on",
        **data,
    }
    if "url" in data and b"private" in field_error:
        del form["allow_private"]
    response = staff_client.post(reverse("webhooks:endpoint-create"), form)
    assert response.status_code == 400
    assert field_error in response.content
    assert not Endpoint.objects.exists()


def test_staff_edit_rotate_switch_off_and_on(staff_client):
    endpoint = _endpoint()
    old = endpoint.secret
    url = reverse("webhooks:endpoint-detail", args=[endpoint.pk])
    staff_client.post(
        url,
        {
            "name": "Renamed",
            "url": "http://127.0.0.1:8129/x",
            "format": "json",
            "events": ["member.joined"],
            "allow_private": "on",
        },
    )
    staff_client.post(reverse("webhooks:endpoint-rotate", args=[endpoint.pk]))
    staff_client.post(reverse("webhooks:endpoint-disable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.name == "Renamed" and endpoint.events == ["member.joined"]
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert not endpoint.is_active
    assert b"This endpoint is off" in staff_client.get(url).content
    staff_client.post(reverse("webhooks:endpoint-enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_staff_send_a_test_event_and_redeliver(staff_client):
    endpoint = _endpoint()
    response = staff_client.post(reverse("webhooks:endpoint-ping", args=[endpoint.pk]))
    ping = Delivery.objects.get(event=Event.PING)
    assert response["Location"] == reverse("webhooks:delivery-detail", args=[ping.pk])
    staff_client.post(reverse("webhooks:delivery-redeliver", args=[ping.pk]))
    copy = Delivery.objects.exclude(pk=ping.pk).get()
    assert copy.redelivery_of == ping and copy.body == ping.body


def test_missing_rows_are_404_and_gets_of_actions_are_refused(staff_client):
    assert staff_client.get(reverse("webhooks:endpoint-detail", args=[999])).status_code == 404
    assert staff_client.get(reverse("webhooks:delivery-detail", args=[999])).status_code == 404
    assert staff_client.post(reverse("webhooks:delivery-redeliver", args=[9])).status_code == 404
    endpoint = _endpoint()
    assert (
        staff_client.get(reverse("webhooks:endpoint-rotate", args=[endpoint.pk])).status_code == 405
    )


def test_the_delivery_log_filters_by_endpoint_event_and_status(staff_client):
    a, b = _endpoint(name="Alpha"), _endpoint(name="Beta")
    Delivery.objects.create(endpoint=a, event=Event.PING, body="{}")
    sent = Delivery.objects.create(endpoint=b, event=Event.MEMBER_JOINED, body="{}")
    Delivery.objects.filter(pk=sent.pk).update(sent_at="2026-12-01T00:00:00Z")
    url = reverse("webhooks:delivery-list")
    rows = lambda query: staff_client.get(url, query).context["page_obj"].object_list  # noqa: E731
    assert [d.endpoint.name for d in rows({"endpoint": b.pk})] == ["Beta"]
    assert [d.event for d in rows({"event": "ping"})] == ["ping"]
    assert [d.pk for d in rows({"status": "sent"})] == [sent.pk]
    assert staff_client.get(url, {"status": "bogus", "endpoint": "x"}).status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_endpoint_list_query_count(staff_client, django_assert_num_queries, rows):
    for n in range(rows):
        endpoint = _endpoint(name=f"E{n}")
        Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}")
    url = reverse("webhooks:endpoint-list")
    staff_client.get(url)  # warms the session, the settings and the activity day
    # member, the endpoints with their counts and last delivery (one query)
    with django_assert_num_queries(2):
        response = staff_client.get(url)
    assert response.content.count(b'href="/staff/webhooks/') >= rows


@pytest.mark.parametrize("rows", [2, 20])
def test_delivery_list_query_count(staff_client, django_assert_num_queries, rows):
    endpoint = _endpoint()
    for _ in range(rows):
        Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}")
    url = reverse("webhooks:delivery-list")
    staff_client.get(url)
    # member, the paginator's count, the page of deliveries with their endpoints (one join),
    # the endpoints of the filter's choices
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    assert len(response.context["page_obj"].object_list) == rows


@pytest.mark.parametrize("attempts", [2, 20])
def test_delivery_detail_query_count(staff_client, django_assert_num_queries, attempts):
    delivery = Delivery.objects.create(endpoint=_endpoint(), event=Event.PING, body="{}")
    for _ in range(attempts):
        Attempt.objects.create(delivery=delivery, status_code=500)
    url = reverse("webhooks:delivery-detail", args=[delivery.pk])
    staff_client.get(url)
    # member, the delivery with its endpoint, its attempts
    with django_assert_num_queries(3):
        assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_embed_origins_query_count(staff_client, django_assert_num_queries, rows):
    for n in range(rows):
        EmbedOrigin.objects.create(origin=f"https://help{n}.example.com")
    url = reverse("webhooks:embed-origins")
    staff_client.get(url)
    # member, the origins with who added them
    with django_assert_num_queries(2):
        response = staff_client.get(url)
    assert response.content.count(b"example.com</code>") == rows
