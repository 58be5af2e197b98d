"""A broker that is away or frozen: requests are answered, their work is stored, the next
sweep sends the e-mail, and after one failed publish the process leaves the broker alone
(config.jobs.dispatch's circuit breaker)."""

import socket
import threading

import pytest
from django.core import mail
from django.urls import reverse

from config import jobs
from config.celery import app
from forum.models import Answer
from forum.services.follows import question_follow
from members.models import OutboundEmail
from members.services_outbox import outbox_sweep
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_at():
    """Point this process's Celery at another broker URL, publishing for real."""
    previous = (app.conf.broker_url, app.conf.task_always_eager)

    def point(url):
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        app._after_fork()  # drop pooled connections to the previous broker

    yield point
    app.conf.broker_url, app.conf.task_always_eager = previous
    app._after_fork()


@pytest.fixture
def frozen_listener():
    """A socket that accepts connections and never answers (a stopped Redis). Yields its
    port and the list of accepted connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def _followed_question():
    question = QuestionFactory()
    question_follow(member=question.author, question=question)
    return question


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answer(client, question, body, capture):
    with capture(execute=True):
        return client.post(reverse("forum:answer-create", args=[question.pk]), {"body": body})


def test_with_the_broker_port_closed_an_answer_is_stored_and_mailed_by_the_next_sweep(
    client, other_member, broker_at, django_capture_on_commit_callbacks
):
    question = _followed_question()
    broker_at(f"redis://127.0.0.1:{_closed_port()}/0")
    client.force_login(other_member)
    response = _answer(
        client, question, "Stored before any broker.", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert Answer.objects.filter(question=question).count() == 1
    row = OutboundEmail.objects.get(recipient=question.author)
    assert row.sent_at is None and mail.outbox == []
    assert jobs.broker_paused()

    assert outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [[question.author.email]]


def test_a_frozen_broker_costs_one_publish_then_is_left_alone(
    client, other_member, broker_at, frozen_listener, django_capture_on_commit_callbacks
):
    port, accepted = frozen_listener
    first, second = _followed_question(), _followed_question()
    broker_at(f"redis://127.0.0.1:{port}/0")
    client.force_login(other_member)
    for question in (first, second):
        body = f"Frozen broker, answer to question {question.pk}."
        response = _answer(client, question, body, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        if question is first:
            tried = len(accepted)
            assert tried and jobs.broker_paused()
    assert len(accepted) == tried  # the second request did not touch the broker
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 2

    assert outbox_sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.author.email, second.author.email])


def test_the_breaker_closes_after_its_pause(monkeypatch, django_capture_on_commit_callbacks):
    calls = []

    class Task:
        name = "test.task"

        def apply_async(self, args, kwargs):
            calls.append(args)
            if len(calls) == 1:
                raise ConnectionRefusedError("broker away")

    clock = [1000.0]
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    for value in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.dispatch(Task(), value)
    assert calls == [(1,)]  # the second was not tried
    clock[0] += 6  # past VECHE_BROKER_PAUSE_SECONDS
    with django_capture_on_commit_callbacks(execute=True):
        jobs.dispatch(Task(), 3)
    assert calls == [(1,), (3,)]
