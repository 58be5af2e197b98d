"""The webhook outbox against a real HTTP receiver: signed requests, retries with backoff,
exactly one delivery per event, nothing lost while the broker is away, the log, switching off
an endpoint that keeps failing, re-delivery by hand and secret rotation."""

import json
import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from config import jobs
from config.celery import app
from forum.services.questions import question_create
from members.models import Notification
from tests.factories import logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory
from tests.webhooks.servers import PORTS
from webhooks import payloads, services, signing, tasks
from webhooks.models import Attempt, Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The outbox's clock (webhooks.services reads timezone.now()), moved by the test."""
    now = [timezone.now()]
    fake = SimpleNamespace(now=lambda: now[0], localtime=timezone.localtime)
    monkeypatch.setattr(services, "timezone", fake)
    return now


def _ask(member, capture, title="How do I export my data?"):
    with capture(execute=True):
        return question_create(
            author=member, category=CategoryFactory(), title=title, body="Where is the button?"
        )


def test_a_new_question_reaches_the_receiver_signed_with_the_endpoint_secret(
    receiver, endpoint_for, member, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    question = _ask(member, django_capture_on_commit_callbacks)

    (request,) = receiver.requests
    signature = request.headers[signing.HEADER]
    assert signing.verify(endpoint.secret, signature, request.body)
    assert not signing.verify("whsec_wrong", signature, request.body)
    assert not signing.verify(endpoint.secret, signature, request.body + b" ")
    envelope = json.loads(request.body)
    assert envelope["event"] == "question.created"
    assert envelope["data"]["question"]["title"] == question.title
    assert envelope["data"]["question"]["url"].endswith(question.get_absolute_url())
    assert request.headers["X-Veche-Event"] == "question.created"
    delivery = Delivery.objects.get()
    assert request.headers["X-Veche-Delivery"] == str(delivery.delivery_id)
    assert delivery.sent_at is not None and delivery.last_status == 200
    (attempt,) = Attempt.objects.all()
    assert attempt.status_code == 200 and attempt.duration_ms >= 0 and attempt.error == ""


def test_an_old_signature_is_refused_by_the_reference_check():
    body = b'{"event":"ping"}'
    header = signing.header(["whsec_x"], 1_000_000, body)
    assert signing.verify("whsec_x", header, body, now=1_000_100)
    assert not signing.verify("whsec_x", header, body, now=1_000_000 + 301)


def test_a_receiver_failing_three_times_then_succeeding_gets_the_event_once(
    receiver, endpoint_for, member, clock, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 503, 500]
    endpoint_for(receiver)
    _ask(member, django_capture_on_commit_callbacks)  # first attempt: 500
    delivery = Delivery.objects.get()
    assert delivery.sent_at is None and delivery.attempts == 1
    assert delivery.retry_at == clock[0]  # the first failure waits for the next sweep only

    for expected in (503, 500, 200):
        delivery.refresh_from_db()
        if delivery.retry_at > clock[0]:  # not before its time
            before = len(receiver.requests)
            assert services.delivery_sweep(budget=5) == 0
            assert len(receiver.requests) == before
        clock[0] = delivery.retry_at + timedelta(seconds=1)
        services.delivery_sweep(budget=5)
        assert receiver.answered[-1] == expected
    assert receiver.answered == [500, 503, 500, 200]
    delivery.refresh_from_db()
    assert delivery.sent_at is not None and delivery.attempts == 4
    ids = {r.headers["X-Veche-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.delivery_id)}  # every attempt is the same delivery

    clock[0] += timedelta(hours=2)
    assert services.delivery_sweep(budget=5) == 0
    assert len(receiver.requests) == 4
    assert [a.status_code for a in Attempt.objects.order_by("at", "id")] == [500, 503, 500, 200]


def test_the_backoff_doubles_between_failures(receiver, endpoint_for, clock, settings):
    settings.VECHE_WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.statuses = [500] * 5
    endpoint = endpoint_for(receiver)
    (delivery,) = services._record(Event.PING, {}, [endpoint])
    waits = []
    for _ in range(5):
        assert services.delivery_send(ids=[delivery.pk]) == 0
        delivery.refresh_from_db()
        waits.append((delivery.retry_at - clock[0]).total_seconds())
        clock[0] = delivery.retry_at
    assert waits[0] == 0
    for number, wait in enumerate(waits[1:]):
        ceiling = 30 * 2**number
        assert ceiling / 2 <= wait <= ceiling


def test_with_the_broker_down_the_event_is_stored_and_the_sweep_delivers_it(
    receiver, endpoint_for, member, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_away(*args, **kwargs):
        raise ConnectionRefusedError("broker away")

    monkeypatch.setattr(tasks.delivery_send_task, "apply_async", broker_away)
    endpoint_for(receiver)
    _ask(member, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert jobs.broker_paused()
    assert Delivery.objects.get().sent_at is None  # stored, waiting

    assert services.delivery_sweep(budget=5) == 1
    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0].body)["event"] == "question.created"
    assert services.delivery_sweep(budget=5) == 0  # nothing twice


@pytest.fixture
def broker_closed():
    """This process's Celery publishing for real, to a broker port nobody listens on."""
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{port}/0", False
    app._after_fork()  # drop pooled connections to the previous broker
    yield
    app.conf.broker_url, app.conf.task_always_eager = previous
    app._after_fork()


def test_with_no_broker_listening_the_answer_is_posted_and_the_sweep_delivers_the_event(
    receiver, endpoint_for, member, other_member, broker_closed, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=[Event.ANSWER_CREATED])
    question = QuestionFactory(author=member)
    client = logged_in(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:answer-create", args=[question.pk]), {"body": "Try the export page."}
        )
    assert response.status_code == 302
    assert receiver.requests == [] and jobs.broker_paused()
    assert services.delivery_sweep(budget=5) == 1
    assert json.loads(receiver.requests[0].body)["data"]["question"]["id"] == question.pk


def test_the_periodic_task_is_the_sweep(receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}")
    assert tasks.delivery_sweep_task.apply().get() == 1
    assert receiver.requests[0].body == b"{}"


def test_an_event_of_a_rolled_back_transaction_is_never_sent(receiver, endpoint_for, member):
    endpoint_for(receiver)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.event_record(Event.MEMBER_JOINED, payloads.member_joined, member)
        raise RuntimeError
    assert not Delivery.objects.exists()


def test_endpoints_not_subscribed_or_switched_off_get_nothing(receiver, endpoint_for, member):
    endpoint_for(receiver, events=[Event.IDEA_CREATED])
    endpoint_for(receiver, events=[Event.MEMBER_JOINED], is_active=False)
    assert services.event_record(Event.MEMBER_JOINED, payloads.member_joined, member) == []


def test_a_delivery_gives_up_after_its_attempts_and_can_be_sent_again_by_hand(
    receiver, endpoint_for, staff, clock, settings, django_capture_on_commit_callbacks
):
    settings.VECHE_WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 500]
    endpoint = endpoint_for(receiver)
    (delivery,) = services._record(Event.PING, {}, [endpoint])
    for _ in range(3):
        services.delivery_send(ids=[delivery.pk])
        clock[0] += timedelta(hours=1)
    delivery.refresh_from_db()
    assert delivery.failed_at is not None and delivery.attempts == 2
    assert len(receiver.requests) == 2

    with django_capture_on_commit_callbacks(execute=True):
        copy = services.delivery_redeliver(actor=staff, delivery=delivery)
    copy.refresh_from_db()
    assert copy.sent_at is not None and copy.redelivery_of == delivery
    last = receiver.requests[-1]
    assert last.body == receiver.requests[0].body
    assert last.headers["X-Veche-Delivery"] == str(copy.delivery_id)


def test_an_endpoint_that_keeps_failing_is_switched_off_and_staff_are_told(
    receiver, endpoint_for, staff, clock, settings
):
    settings.VECHE_WEBHOOK_DISABLE_AFTER_FAILURES = 3
    settings.VECHE_WEBHOOK_DISABLE_AFTER_HOURS = 1
    receiver.statuses = [500] * 10
    endpoint = endpoint_for(receiver, name="Support CRM")
    for _ in range(4):
        services._record(Event.PING, {}, [endpoint])
        services.delivery_sweep(budget=5)
        clock[0] += timedelta(minutes=40)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert endpoint.disabled_reason
    note = Notification.objects.get(recipient=staff, kind="webhook_disabled")
    assert note.params["name"] == "Support CRM"
    sent = len(receiver.requests)
    clock[0] += timedelta(hours=3)
    services.delivery_sweep(budget=5)
    assert len(receiver.requests) == sent  # off: its deliveries wait

    receiver.statuses = []
    services.endpoint_enable(actor=staff, endpoint=endpoint)
    services.delivery_sweep(budget=5)
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 4
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_a_success_resets_the_failure_count(receiver, endpoint_for, clock):
    receiver.statuses = [500]
    endpoint = endpoint_for(receiver)
    services._record(Event.PING, {}, [endpoint])
    services.delivery_sweep(budget=5)
    assert Endpoint.objects.get().consecutive_failures == 1
    services.delivery_sweep(budget=5)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_a_rotated_secret_signs_beside_the_new_one_for_a_day(receiver, endpoint_for, staff, clock):
    endpoint = endpoint_for(receiver)
    old = endpoint.secret
    services.endpoint_secret_rotate(actor=staff, endpoint=endpoint)
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    services._record(Event.PING, {}, [endpoint])
    services.delivery_sweep(budget=5)
    request = receiver.requests[-1]
    header = request.headers[signing.HEADER]
    assert header.count("v1=") == 2
    assert signing.verify(endpoint.secret, header, request.body)
    assert signing.verify(old, header, request.body)

    clock[0] += timedelta(hours=25)
    services._record(Event.PING, {}, [endpoint])
    services.delivery_sweep(budget=5)
    header = receiver.requests[-1].headers[signing.HEADER]
    assert header.count("v1=") == 1
    assert not signing.verify(old, header, receiver.requests[-1].body)


def test_a_receiver_that_does_not_answer_is_a_failed_attempt(endpoint_for, settings, clock):
    settings.VECHE_WEBHOOK_TIMEOUT = 0.3
    silent = socket.socket()
    for port in PORTS:
        try:
            silent.bind(("127.0.0.1", port))
            break
        except OSError:
            continue
    silent.listen(1)
    try:
        endpoint = endpoint_for(SimpleNamespace(url=f"http://127.0.0.1:{port}/"))
        (delivery,) = services._record(Event.PING, {}, [endpoint])
        assert services.delivery_send(ids=[delivery.pk]) == 0
    finally:
        silent.close()
    delivery.refresh_from_db()
    assert delivery.sent_at is None and "timed out" in delivery.last_error
    assert Attempt.objects.get().status_code is None


def test_the_log_forgets_old_sent_and_given_up_deliveries_never_waiting_ones(endpoint_for):
    endpoint = endpoint_for(SimpleNamespace(url="http://127.0.0.1:8129/"))
    now = timezone.now()
    old = now - timedelta(days=31)
    sent = Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}", sent_at=old)
    Attempt.objects.create(delivery=sent, status_code=200)
    Delivery.objects.create(endpoint=endpoint, event=Event.PING, body="{}", failed_at=old)
    recent = Delivery.objects.create(
        endpoint=endpoint, event=Event.PING, body="{}", sent_at=now - timedelta(days=2)
    )
    waiting = Delivery.objects.create(
        endpoint=endpoint, event=Event.PING, body="{}", created_at=old
    )
    assert services.delivery_prune() == 2
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Attempt.objects.exists()
