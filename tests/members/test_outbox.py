"""The outbox after faults: the Message-ID, no second send after a failed record, the claim
lease, the backoff, the attempts limit, the ledger, the sweep over a backlog, the task's
retries (docs/jobs.md)."""

import smtplib
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.cache import cache, caches
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from config import delivery
from members import services_outbox, tasks
from members.models import OutboundEmail
from members.services import email_build
from members.services_outbox import (
    LEDGER,
    email_enqueue,
    outbox_deliver,
    outbox_reconcile,
    outbox_sweep,
)
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

BROKEN = "tests.members.broken_backend.BrokenBackend"


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch):
    """The retries of the record pause between tries; the tests do not wait for them."""
    monkeypatch.setattr(delivery.time, "sleep", lambda seconds: None)


def _queue(count=1, **fields):
    member = MemberFactory()
    emails = [
        email_build(
            member=member, kind="system", subject=f"Hello {i}", template="email/welcome.txt"
        )
        for i in range(count)
    ]
    created = OutboundEmail.objects.bulk_create(emails)
    if fields:
        OutboundEmail.objects.filter(pk__in=[e.pk for e in created]).update(**fields)
    return created


def _fail_records(monkeypatch, times=None):
    """The database stops answering the "sent" write (``times`` tries, or all)."""
    calls = {"n": 0}
    real = services_outbox._record_sent

    def record(pk, *, secret):
        calls["n"] += 1
        if times is None or calls["n"] <= times:
            raise OperationalError("server closed the connection unexpectedly")
        return real(pk, secret=secret)

    monkeypatch.setattr(services_outbox, "_record_sent", record)
    return calls


def test_each_email_carries_its_stored_message_id_through_a_failure_and_the_retry(settings):
    [email] = _queue()
    assert email.message_id.startswith("<") and email.message_id.endswith("@127.0.0.1>")
    settings.EMAIL_BACKEND = BROKEN
    with pytest.raises(services_outbox.DeliveryPaused):
        outbox_deliver()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver() == 1
    [message] = mail.outbox
    assert message.message()["Message-ID"] == email.message_id
    stored = OutboundEmail.objects.get()
    assert stored.message_id == email.message_id and stored.attempts == 2


def test_message_ids_differ_between_emails():
    emails = _queue(3)
    assert len({e.message_id for e in emails}) == 3


def test_a_send_whose_record_fails_is_not_sent_again_by_the_same_worker(monkeypatch):
    [email] = _queue()
    calls = _fail_records(monkeypatch)
    with pytest.raises(OperationalError):
        outbox_deliver()
    assert len(mail.outbox) == 1
    # Tried once, then again after each pause until the pauses were spent.
    assert calls["n"] == 1 + len(delivery.RECORD_DELAYS) + 1
    row = OutboundEmail.objects.get()
    assert row.sent_at is None and row.claimed_at is not None
    assert LEDGER.has(row.pk, row.message_id)

    monkeypatch.undo()  # the database answers again
    monkeypatch.setattr(delivery.time, "sleep", lambda seconds: None)
    assert outbox_deliver() == 0  # reconciled from memory first, not sent
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert LEDGER.unrecorded == {}
    assert cache.get(LEDGER.prefix + email.message_id) is None


def test_a_send_whose_record_fails_is_not_sent_again_by_another_worker_after_the_lease(
    monkeypatch, settings, tmp_path
):
    [email] = _queue()
    _fail_records(monkeypatch)
    with pytest.raises(OperationalError):
        outbox_deliver()
    monkeypatch.undo()
    # A worker on another host: neither this process's memory nor this host's journals,
    # only the shared ledger knows.
    LEDGER.unrecorded.clear()
    settings.VECHE_OUTBOX_JOURNAL_DIR = str(tmp_path)
    outbox_sweep()
    assert len(mail.outbox) == 1  # the lease still holds the row

    lease = timedelta(seconds=settings.VECHE_OUTBOX_LEASE_SECONDS + 1)
    OutboundEmail.objects.update(claimed_at=timezone.now() - lease)
    assert outbox_sweep() == 0
    assert len(mail.outbox) == 1
    row = OutboundEmail.objects.get()
    assert row.sent_at is not None
    assert cache.get(LEDGER.prefix + email.message_id) is None


def test_a_record_that_fails_a_moment_is_retried_and_nothing_is_left_in_the_ledger(monkeypatch):
    _queue(2)
    calls = _fail_records(monkeypatch, times=2)
    assert outbox_deliver() == 2
    assert calls["n"] == 4
    assert len(mail.outbox) == 2
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 0
    assert LEDGER.unrecorded == {}


def test_reconcile_records_the_ledger_once_the_database_is_back(monkeypatch):
    [email] = _queue()
    _fail_records(monkeypatch)
    with pytest.raises(OperationalError):
        outbox_deliver()
    assert outbox_reconcile() == 0  # still away
    monkeypatch.undo()
    assert outbox_reconcile() == 1
    assert OutboundEmail.objects.get().sent_at is not None
    assert LEDGER.unrecorded == {}


def test_a_reclaimed_row_waits_when_the_ledger_cannot_be_read(monkeypatch, settings):
    lease = timedelta(seconds=settings.VECHE_OUTBOX_LEASE_SECONDS + 1)
    _queue(claimed_at=timezone.now() - lease, attempts=1)
    # config.cache.ResilientRedisCache says so after a failed read.
    backend = caches["default"]
    monkeypatch.setattr(backend, "away_until", delivery.time.monotonic() + 60, raising=False)
    assert outbox_deliver() == 0
    row = OutboundEmail.objects.get()
    assert mail.outbox == []
    assert row.attempts == 1 and row.claimed_at is None and row.retry_at > timezone.now()


def test_a_row_claimed_by_a_worker_that_died_is_sent_after_the_lease(settings):
    [email] = _queue(claimed_at=timezone.now(), attempts=1)
    assert outbox_sweep() == 0  # another worker may still be sending it
    assert mail.outbox == []
    lease = timedelta(seconds=settings.VECHE_OUTBOX_LEASE_SECONDS + 1)
    OutboundEmail.objects.update(claimed_at=timezone.now() - lease)
    assert outbox_sweep() == 1
    assert [m.message()["Message-ID"] for m in mail.outbox] == [email.message_id]
    assert OutboundEmail.objects.get().attempts == 2


def test_failed_rows_back_off_exponentially_with_jitter(settings):
    settings.VECHE_OUTBOX_RETRY_BASE_SECONDS = 30
    settings.VECHE_OUTBOX_RETRY_MAX_SECONDS = 600
    assert delivery.retry_delay(1) == timedelta(0)  # the next sweep tries again
    for attempts, ceiling in [(2, 30), (3, 60), (4, 120), (5, 240), (6, 480), (7, 600), (9, 600)]:
        delays = {delivery.retry_delay(attempts) for _ in range(20)}
        assert all(
            timedelta(seconds=ceiling / 2) <= d <= timedelta(seconds=ceiling) for d in delays
        )
        assert len(delays) > 1  # jittered


def test_a_failing_row_waits_its_backoff_before_the_next_attempt(settings):
    _queue()
    settings.EMAIL_BACKEND = BROKEN
    for _ in range(2):
        with pytest.raises(services_outbox.DeliveryPaused):
            outbox_deliver()
    row = OutboundEmail.objects.get()
    assert row.attempts == 2 and row.claimed_at is None
    assert row.retry_at >= timezone.now() + timedelta(seconds=10)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_sweep() == 0  # not before its time
    OutboundEmail.objects.update(retry_at=timezone.now())
    assert outbox_sweep() == 1


def test_a_row_stops_after_max_attempts_keeping_its_last_error_shown_in_admin(settings, client):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    settings.VECHE_OUTBOX_MAX_ATTEMPTS = 3
    _queue(attempts=2)
    settings.EMAIL_BACKEND = BROKEN
    with pytest.raises(services_outbox.DeliveryPaused):
        outbox_deliver()
    row = OutboundEmail.objects.get()
    assert row.attempts == 3 and "SMTP refused" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(retry_at=None)
    assert outbox_sweep() == 0  # given up
    assert mail.outbox == []

    page = client.get(reverse("admin:members_outboundemail_changelist") + "?state=failed")
    assert "SMTP refused" in page.content.decode()
    client.post(
        reverse("admin:members_outboundemail_changelist"),
        {"action": "send_again", "_selected_action": [row.pk]},
    )
    assert outbox_sweep() == 1
    assert OutboundEmail.objects.get().sent_at is not None


def test_a_refused_recipient_fails_only_its_row_and_a_dead_server_pauses_the_batch(
    settings, monkeypatch
):
    first, _second, _third = _queue(3)
    real = services_outbox._Sender.send

    def send(self, row):
        if row.subject == "Hello 0":
            raise smtplib.SMTPRecipientsRefused({row.to: (550, b"No such user")})
        return real(self, row)

    monkeypatch.setattr(services_outbox._Sender, "send", send)
    assert outbox_deliver() == 2
    assert OutboundEmail.objects.get(pk=first.pk).last_error
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == 2

    monkeypatch.undo()
    monkeypatch.setattr(delivery.time, "sleep", lambda seconds: None)
    more = _queue(3)
    settings.EMAIL_BACKEND = BROKEN
    with pytest.raises(services_outbox.DeliveryPaused):
        outbox_deliver(ids=[e.pk for e in more])
    attempts = sorted(
        OutboundEmail.objects.filter(pk__in=[e.pk for e in more]).values_list("attempts", flat=True)
    )
    assert attempts == [0, 0, 1]  # one row told us the server is down; the others wait


def test_the_sweep_drains_a_backlog_larger_than_a_batch(settings):
    settings.VECHE_OUTBOX_BATCH = 5
    _queue(12)
    assert outbox_sweep() == 12
    assert len(mail.outbox) == 12
    assert outbox_sweep() == 0


def test_the_sweep_stops_when_its_time_budget_is_spent(settings):
    settings.VECHE_OUTBOX_BATCH = 5
    _queue(7)
    assert outbox_sweep(budget=0) == 0
    assert OutboundEmail.objects.filter(attempts=0).count() == 7


def test_a_large_enqueue_is_handed_to_the_workers_in_batches(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.VECHE_OUTBOX_BATCH = 5
    published = []
    monkeypatch.setattr(
        tasks.outbox_deliver_task, "apply_async", lambda args, kwargs: published.append(args[0])
    )
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = email_enqueue(
            [
                email_build(member=member, kind="system", subject="x", template="email/welcome.txt")
                for _ in range(12)
            ]
        )
    assert [len(batch) for batch in published] == [5, 5, 2]
    assert sorted(pk for batch in published for pk in batch) == sorted(e.pk for e in created)


def test_the_delivery_task_retries_database_failures_with_bounded_jittered_backoff(monkeypatch):
    def database_away(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services_outbox, "outbox_deliver", database_away)
    countdowns = []

    def retry(exc, countdown):
        countdowns.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(tasks.outbox_deliver_task, "retry", retry)
    for retries in range(10):
        tasks.outbox_deliver_task.push_request(retries=retries, is_eager=False)
        try:
            with pytest.raises(Retry):
                tasks.outbox_deliver_task.run([1])
        finally:
            tasks.outbox_deliver_task.pop_request()
    assert 1 <= countdowns[0] <= 2 and 2 <= countdowns[1] <= 4
    assert all(30 <= c <= tasks.RETRY_CEILING_SECONDS for c in countdowns[6:])


def test_the_delivery_task_run_in_a_request_leaves_failures_to_the_sweep(settings):
    [email] = _queue()
    settings.EMAIL_BACKEND = BROKEN
    assert tasks.outbox_deliver_task.apply(args=[[email.pk]]).get() == 0
    row = OutboundEmail.objects.get()
    assert row.attempts == 1 and row.sent_at is None


def test_claimed_rows_not_sent_within_half_a_lease_go_back_without_an_attempt(settings):
    settings.VECHE_OUTBOX_LEASE_SECONDS = 0  # every claim is already too old to send on
    _queue(3)
    assert outbox_deliver() == 0
    assert mail.outbox == []
    assert list(OutboundEmail.objects.values_list("attempts", "claimed_at")) == [(0, None)] * 3
