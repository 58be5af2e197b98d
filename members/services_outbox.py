"""The e-mail outbox: recording e-mails and sending them once, on time, after faults.

Every e-mail is a row of ``OutboundEmail`` first (``email_enqueue``); workers send rows, each
claimed alone, just before its send, by a conditional UPDATE that holds for a lease
(``VECHE_OUTBOX_LEASE_SECONDS``). A worker that dies mid-send leaves at most the rows it
held; the sweep takes them again once the lease is over. A send is noted in the process's sent
journal (config.delivery) the moment the server took it, then recorded in the database; a
database that does not answer then is retried for a few seconds, and the Message-ID goes to
the sent ledger. Journal and ledger are read before a row is sent again. docs/jobs.md tells
the whole story and what is left: a crash in the microseconds between the server's "250 OK"
and the journal's write sends that e-mail twice.
"""

import logging
import random
import smtplib
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from config.delivery import Journal, Ledger, persist, retry_delay
from config.jobs import dispatch
from config.seeding import chunks

from . import tasks
from .models import OutboundEmail

logger = logging.getLogger(__name__)

T = TypeVar("T")

# allauth's e-mails (sign-up codes, password reset links): credentials, so their text is
# blanked once sent, and they are sent at once by the process that wrote them.
ACCOUNT_KIND = "account"
LEDGER = Ledger("email")
JOURNAL = Journal("email")


class DeliveryPaused(Exception):
    """The mail server could not be reached: the rest of the batch waits for a later try."""


def email_enqueue(emails: list[OutboundEmail]) -> list[OutboundEmail]:
    """Store e-mails in the outbox and, after commit, ask the workers to send them: in
    batches, so that a large mailing (a digest to every member) is shared by all workers."""
    if not emails:
        return []
    created = OutboundEmail.objects.bulk_create(emails)
    if any(e.pk is None for e in created):  # backends without RETURNING ids on bulk insert
        ids = dict(
            OutboundEmail.objects.filter(
                message_id__in=[e.message_id for e in created]
            ).values_list("message_id", "id")
        )
        for email in created:
            email.pk = ids[email.message_id]
    for batch in chunks([e.pk for e in created], settings.VECHE_OUTBOX_BATCH):
        dispatch(tasks.outbox_deliver_task, batch)
    return created


def email_send_now(email: OutboundEmail) -> OutboundEmail:
    """Record an e-mail someone waits for at the screen and send it at once, from this
    process: no broker in the way. If that fails the row stays, and the sweep sends it."""
    email.save()
    try:
        outbox_deliver(ids=[email.pk])
    except Exception:  # noqa: BLE001 - recorded first: any failure here only delays the e-mail
        logger.warning("E-mail %s not sent at once; the outbox sweep will", email.pk)
    return email


def _due(now: datetime, ids: Iterable[int] | None = None) -> QuerySet[OutboundEmail]:
    lease = timedelta(seconds=settings.VECHE_OUTBOX_LEASE_SECONDS)
    due = (
        OutboundEmail.objects.filter(
            sent_at__isnull=True, attempts__lt=settings.VECHE_OUTBOX_MAX_ATTEMPTS
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease))
        .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    )
    return due if ids is None else due.filter(pk__in=list(ids))


def outbox_deliver(*, ids: Iterable[int] | None = None, deadline: float | None = None) -> int:
    """Send the due e-mails among ``ids`` (all of them), or a batch of any due ones; stop at
    ``deadline`` (``time.monotonic()``). Returns how many were sent.

    Raises ``DatabaseError`` when the database is away and ``DeliveryPaused`` when the mail
    server is: the rows not tried yet wait, unclaimed, for the task's retry or the sweep."""
    sent, _seen = _deliver(ids=ids, deadline=deadline)
    return sent


def outbox_sweep(*, budget: float | None = None) -> int:
    """Drain the outbox: batch after batch until nothing is due or ``budget`` seconds
    (``VECHE_OUTBOX_SWEEP_BUDGET_SECONDS``) are spent. Sweeps started while one runs (by
    other workers) share the backlog: each row is claimed by one of them."""
    if budget is None:
        budget = settings.VECHE_OUTBOX_SWEEP_BUDGET_SECONDS
    deadline = time.monotonic() + budget
    total = 0
    while time.monotonic() < deadline:
        sent, seen = _deliver(ids=None, deadline=deadline)
        total += sent
        if not seen:
            break
    return total


def outbox_reconcile() -> int:
    """Record in the database the sends this process made while it did not answer, and those
    in the journals of dead processes on this host (a worker killed after a send, before its
    record); then empty this process's journal. Returns how many rows that recorded."""
    recorded = 0
    for pk, message_id in list(LEDGER.unrecorded.items()):
        try:
            recorded += _record_sent([pk], secret=None)
        except DatabaseError:
            return recorded
        LEDGER.forget(pk, message_id)
    try:
        for pks in JOURNAL.orphans():
            found = _record_sent(pks, secret=None)
            if found:
                logger.warning("Recorded %s e-mails a dead process sent (its journal)", found)
            recorded += found
    except DatabaseError:
        return recorded
    if not LEDGER.unrecorded:
        JOURNAL.clear()
    return recorded


def outbox_retry(*, ids: Iterable[int]) -> int:
    """Give unsent e-mails (those that used up their attempts) a fresh set of attempts, for
    staff after fixing what made them fail (the admin's action)."""
    rows = OutboundEmail.objects.filter(pk__in=list(ids), sent_at__isnull=True)
    count = rows.update(attempts=0, retry_at=None, claimed_at=None)
    for batch in chunks(list(rows.values_list("pk", flat=True)), settings.VECHE_OUTBOX_BATCH):
        dispatch(tasks.outbox_deliver_task, batch)
    return count


# Rows claimed by one UPDATE: one commit for the group instead of one per row (commits are
# what a send costs most). A worker that dies leaves at most this many rows to the lease.
CLAIM_GROUP = 20


def _deliver(*, ids: Iterable[int] | None, deadline: float | None) -> tuple[int, int]:
    outbox_reconcile()
    due = _due(timezone.now(), ids).order_by("id")
    rows = list(due if ids is not None else due[: settings.VECHE_OUTBOX_BATCH])
    # Sweeps running side by side read the same rows: in different orders they seldom reach
    # for the same rows at the same moment.
    random.shuffle(rows)
    sender = _Sender()
    sent = 0
    claimed: list[OutboundEmail] = []
    try:
        for group in chunks(rows, CLAIM_GROUP):
            claimed, claimed_at = _claim(group), time.monotonic()
            while claimed:
                # Past the deadline, or so long after the claim that the lease might run out
                # during the send: the rest of the group goes back.
                late = time.monotonic() - claimed_at > settings.VECHE_OUTBOX_LEASE_SECONDS / 2
                if late or (deadline is not None and time.monotonic() >= deadline):
                    return sent, len(rows)
                row = claimed.pop(0)
                if not _held_back(row):
                    sent += _send(row, sender)
    finally:
        sender.close()
        _release(claimed)
    return sent, len(rows)


def _claim(rows: list[OutboundEmail]) -> list[OutboundEmail]:
    """Claim those of ``rows`` still due and not claimed by another worker meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        # Rows another worker is claiming are skipped, not waited for (PostgreSQL).
        free = list(
            _due(now, [row.pk for row in rows])
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        _due(now, free).update(claimed_at=now, attempts=F("attempts") + 1)
        mine = set(
            OutboundEmail.objects.filter(pk__in=free, claimed_at=now).values_list("pk", flat=True)
        )
    return [row for row in rows if row.pk in mine]


def _release(rows: list[OutboundEmail]) -> None:
    """Give back claimed rows not tried, without counting an attempt (best effort: if the
    database is away they wait for the lease)."""
    if rows:
        try:
            OutboundEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
                claimed_at=None, attempts=F("attempts") - 1
            )
        except DatabaseError:
            logger.warning("Could not give back %s claimed e-mails; the lease will", len(rows))


def _held_back(row: OutboundEmail) -> bool:
    """Must this claimed row not be sent now? A row claimed before may have been sent by a
    process killed before its record (the journals on this host know) or whose record failed
    (the ledger knows): the row is recorded sent instead. When the ledger cannot tell (the
    cache is away too), the row waits for it."""
    if not row.attempts:
        return False
    known = JOURNAL.has(row.message_id) or LEDGER.has(row.pk, row.message_id)
    if known is None:
        OutboundEmail.objects.filter(pk=row.pk).update(
            claimed_at=None,
            attempts=F("attempts") - 1,
            retry_at=timezone.now() + timedelta(seconds=settings.VECHE_OUTBOX_LEASE_SECONDS),
        )
        return True
    if known:
        persist(lambda: _record_sent([row.pk], secret=row.kind == ACCOUNT_KIND))
        LEDGER.forget(row.pk, row.message_id)
        logger.warning(
            "E-mail %s was sent before; recorded from the journal or ledger", row.message_id
        )
    return bool(known)


def _send(row: OutboundEmail, sender: "_Sender") -> int:
    try:
        sender.send(row)
    except Exception as exc:  # noqa: BLE001 - SMTP errors are many; the row keeps the reason
        logger.warning("E-mail %s failed: %s", row.pk, exc)
        OutboundEmail.objects.filter(pk=row.pk).update(
            claimed_at=None,
            retry_at=timezone.now() + retry_delay(row.attempts + 1),
            last_error=str(exc)[:2000] or type(exc).__name__,
        )
        if _server_failed(exc):
            sender.close()
            raise DeliveryPaused(str(exc)) from exc
        return 0
    # Before anything else: from here on a crash must not send it again.
    JOURNAL.add(row.pk, row.message_id)
    secret = row.kind == ACCOUNT_KIND
    try:
        _record_sent([row.pk], secret=secret)
    except DatabaseError:
        # Sent, not recorded: the ledger (read by workers on other hosts too), then the
        # database until it answers; if it never does, the task stops here.
        LEDGER.add(row.pk, row.message_id)
        persist(lambda: _record_sent([row.pk], secret=secret))
        LEDGER.forget(row.pk, row.message_id)
    return 1


def _record_sent(pks: list[int], *, secret: bool | None) -> int:
    """Mark rows ``pks`` sent, those not marked yet; ``secret`` blanks their text (None: of the
    account e-mails among them). Returns how many rows were not marked before."""
    rows = OutboundEmail.objects.filter(pk__in=pks)
    marked = rows.filter(sent_at__isnull=True).update(
        sent_at=timezone.now(), claimed_at=None, retry_at=None, last_error=""
    )
    if secret or secret is None:
        if secret is None:
            rows = rows.filter(kind=ACCOUNT_KIND)
        rows.exclude(body="", html_body="").update(body="", html_body="")
    return marked


def _server_failed(exc: Exception) -> bool:
    """The server (or the disk of the file backend) failed, not this one message."""
    refused = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
    return isinstance(exc, OSError) and not isinstance(exc, refused)


class _Sender:
    """One connection to the mail server for a whole batch, opened at the first send. Open
    across sends, it also keeps the end of each SMTP conversation (QUIT) out of the moment
    between the server taking a message and the row being marked sent."""

    def __init__(self) -> None:
        self.connection: Any = None

    def send(self, row: OutboundEmail) -> None:
        if self.connection is None:
            JOURNAL.open()
            self.connection = get_connection()
            self.connection.open()
        message = EmailMultiAlternatives(
            subject=row.subject,
            body=row.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.to],
            headers={**(row.headers or {}), "Message-ID": row.message_id},
            connection=self.connection,
        )
        if row.html_body:
            message.attach_alternative(row.html_body, "text/html")
        if not message.send():
            raise ValueError("The e-mail backend sent nothing")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001,S110 - a connection already broken is closed enough
                pass
            self.connection = None
