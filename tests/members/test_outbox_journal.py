"""The sent journal (config.delivery.Journal): a worker killed after the mail server took an
e-mail and before the outbox recorded it does not make its successor send that e-mail again
(docs/jobs.md, "What is guaranteed")."""

import logging
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from members import services_outbox
from members.models import OutboundEmail
from members.services import email_build
from members.services_outbox import JOURNAL, outbox_deliver, outbox_sweep
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _claimed_by_a_dead_worker(settings, count=1):
    """Rows a worker claimed (one attempt), whose lease has run out."""
    member = MemberFactory()
    rows = OutboundEmail.objects.bulk_create(
        email_build(member=member, kind="system", subject=f"Hi {i}", template="email/welcome.txt")
        for i in range(count)
    )
    lease = timedelta(seconds=settings.VECHE_OUTBOX_LEASE_SECONDS + 1)
    OutboundEmail.objects.update(claimed_at=timezone.now() - lease, attempts=1)
    return rows


def _journals(settings) -> list[Path]:
    return sorted(Path(settings.VECHE_OUTBOX_JOURNAL_DIR).glob("*.journal"))


def _worker_that_sent(rows, *, dies: bool) -> tuple[int, int]:
    """Fork a process that notes ``rows`` as sent in its journal, then is killed (SIGKILL, as
    the fault script does) or stays alive until its pipe is closed. Returns its pid and the
    pipe's write end (-1 once dead)."""
    ready_r, ready_w = os.pipe()
    hold_r, hold_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into pytest
        try:
            os.close(hold_w)
            for row in rows:
                JOURNAL.add(row.pk, row.message_id)
            os.write(ready_w, b"x")
            if dies:
                os.kill(os.getpid(), signal.SIGKILL)
            os.read(hold_r, 1)
        finally:
            os._exit(0)
    os.close(hold_r)
    os.read(ready_r, 1)
    if dies:
        os.waitpid(pid, 0)
        os.close(hold_w)
        return pid, -1
    return pid, hold_w


def test_the_journal_of_a_worker_killed_between_send_and_record_stops_a_second_send(settings):
    rows = _claimed_by_a_dead_worker(settings, count=3)
    _worker_that_sent(rows[:2], dies=True)
    assert len(_journals(settings)) == 1

    assert outbox_sweep() == 1  # only the row the dead worker had not sent
    assert [m.subject for m in mail.outbox] == [rows[2].subject]
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 0
    # Its journal is recorded and gone; this process's own is empty again.
    assert [p.stat().st_size for p in _journals(settings)] == [0]


def test_a_living_workers_journal_is_honoured_and_left_in_place(settings):
    """A worker stalled past its lease (alive, its record not written yet): the row is not
    sent again, and its journal stays, locked, for it."""
    [row] = _claimed_by_a_dead_worker(settings)
    pid, hold = _worker_that_sent([row], dies=False)
    try:
        assert outbox_sweep() == 0
        assert mail.outbox == []
        assert OutboundEmail.objects.get().sent_at is not None
        assert len(_journals(settings)) == 1
    finally:
        os.close(hold)
        os.waitpid(pid, 0)
    # Dead now: the next delivery removes its journal.
    outbox_deliver()
    assert _journals(settings) == []


def test_each_send_is_noted_before_its_record_and_the_journal_emptied_after(settings, monkeypatch):
    member = MemberFactory()
    OutboundEmail.objects.bulk_create(
        email_build(member=member, kind="system", subject=f"Hi {i}", template="email/welcome.txt")
        for i in range(2)
    )
    noted_at_record: list[bytes] = []
    real = services_outbox._record_sent

    def record(pks, *, secret):
        noted_at_record.append(_journals(settings)[0].read_bytes())
        return real(pks, secret=secret)

    monkeypatch.setattr(services_outbox, "_record_sent", record)
    assert outbox_deliver() == 2
    ids = dict(OutboundEmail.objects.values_list("pk", "message_id"))
    first, second = (line.decode().split() for line in noted_at_record[1].splitlines())
    assert {int(first[0]): first[1], int(second[0]): second[1]} == ids
    monkeypatch.undo()
    outbox_deliver()  # the next delivery starts with an empty journal
    assert [p.stat().st_size for p in _journals(settings)] == [0]


def test_a_journal_that_cannot_be_written_does_not_stop_the_mail(settings, caplog, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.VECHE_OUTBOX_JOURNAL_DIR = str(blocker / "journal")
    member = MemberFactory()
    OutboundEmail.objects.bulk_create(
        [email_build(member=member, kind="system", subject="Hi", template="email/welcome.txt")]
    )
    with caplog.at_level(logging.ERROR, logger="config.delivery"):
        assert outbox_deliver() == 1
    assert OutboundEmail.objects.get().sent_at is not None
    assert "could not be noted in the journal" in caplog.text


def test_the_journal_is_made_before_the_first_send(settings, monkeypatch):
    """Making the journal takes a few file system calls: done after the first send, they
    would widen the moment in which a kill makes that e-mail go twice (a worker's first send
    after a restart is where the fault script's kills land)."""
    member = MemberFactory()
    OutboundEmail.objects.bulk_create(
        [email_build(member=member, kind="system", subject="Hi", template="email/welcome.txt")]
    )
    journals_at_connect: list[list[Path]] = []
    real_connection = services_outbox.get_connection

    def connection(*args, **kwargs):  # the first send comes right after
        journals_at_connect.append(_journals(settings))
        return real_connection(*args, **kwargs)

    monkeypatch.setattr(JOURNAL, "fd", None)  # as in a new worker process
    monkeypatch.setattr(services_outbox, "get_connection", connection)
    assert outbox_deliver() == 1
    assert [len(found) for found in journals_at_connect] == [1]
