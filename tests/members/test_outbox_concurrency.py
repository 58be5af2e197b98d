"""On PostgreSQL: sweeps running side by side (several workers) share a backlog and send
each e-mail once."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from members.models import OutboundEmail
from members.services import email_build
from members.services_outbox import outbox_sweep
from tests.factories import MemberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_three_concurrent_sweeps_send_every_email_exactly_once(settings):
    settings.VECHE_OUTBOX_BATCH = 25
    member = MemberFactory()
    OutboundEmail.objects.bulk_create(
        [
            email_build(member=member, kind="system", subject=f"n{i}", template="email/welcome.txt")
            for i in range(150)
        ]
    )
    barrier = threading.Barrier(3)
    sent: list[int] = []
    errors: list[Exception] = []

    def sweep():
        try:
            barrier.wait()
            sent.append(outbox_sweep(budget=120))
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not errors, errors
    assert sum(sent) == 150
    ids = Counter(message.message()["Message-ID"] for message in mail.outbox)
    assert len(ids) == 150 and set(ids.values()) == {1}
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    assert not OutboundEmail.objects.filter(attempts__gt=1).exists()
