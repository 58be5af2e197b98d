from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import OutboundEmail
from members.services import outbox_deliver, welcome_email_sweep
from members.tasks import welcome_email_sweep_task
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_joined_25_hours_ago_gets_exactly_one_welcome_over_two_sweeps():
    now = timezone.now()
    due = MemberFactory(date_joined=now - timedelta(hours=25))
    fresh = MemberFactory(date_joined=now - timedelta(hours=2))

    welcome_email_sweep_task()  # eager: sweeps and delivers through the outbox
    welcome_email_sweep_task()
    outbox_deliver()

    welcome = [m for m in mail.outbox if "Welcome" in m.subject]
    assert [m.to for m in welcome] == [[due.email]]
    assert OutboundEmail.objects.filter(kind="welcome", recipient=fresh).count() == 0
    assert "List-Unsubscribe" in welcome[0].extra_headers


def test_welcome_survives_a_lost_delivery_task_and_is_sent_by_the_flush():
    member = MemberFactory(date_joined=timezone.now() - timedelta(hours=30))
    # The sweep claims the member and records the e-mail; pretend the delivery task was lost.
    assert welcome_email_sweep() == 1
    OutboundEmail.objects.update(sent_at=None, claimed_at=None)
    mail.outbox.clear()
    assert outbox_deliver() == 1
    assert outbox_deliver() == 0
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_unverified_and_long_ago_members_get_no_welcome():
    now = timezone.now()
    MemberFactory(date_joined=now - timedelta(hours=30), verified_email=False)
    MemberFactory(date_joined=now - timedelta(days=30))
    assert welcome_email_sweep() == 0


def test_welcome_is_written_in_the_members_language():
    MemberFactory(date_joined=timezone.now() - timedelta(hours=26), preferred_language="ru")
    welcome_email_sweep()
    email = OutboundEmail.objects.get(kind="welcome")
    assert "Добро пожаловать" in email.subject


def test_failed_smtp_keeps_the_email_for_a_retry(settings, django_capture_on_commit_callbacks):
    MemberFactory(date_joined=timezone.now() - timedelta(hours=26))
    settings.EMAIL_BACKEND = "tests.members.broken_backend.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        welcome_email_sweep()
    email = OutboundEmail.objects.get(kind="welcome")
    assert email.sent_at is None and "refused" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_deliver() == 1
