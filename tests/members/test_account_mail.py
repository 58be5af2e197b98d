"""allauth's e-mails go through the outbox: recorded, sent at once, blanked once sent."""

import pytest
from django.core import mail

from members.models import OutboundEmail
from members.services_outbox import outbox_sweep
from tests.factories import sign_up

pytestmark = pytest.mark.django_db


def test_the_verification_email_is_recorded_sent_at_once_and_its_link_not_kept(client):
    assert sign_up(client).status_code == 302
    row = OutboundEmail.objects.get(kind="account")
    assert row.to == "newbie@example.com" and row.sent_at is not None
    assert row.body == "" and row.html_body == ""  # the link is a credential
    [message] = mail.outbox
    assert message.message()["Message-ID"] == row.message_id
    assert "/accounts/" in message.body


def test_sign_up_succeeds_with_the_mail_server_down_and_the_sweep_sends_the_email(client, settings):
    settings.EMAIL_BACKEND = "tests.members.broken_backend.BrokenBackend"
    assert sign_up(client).status_code == 302
    row = OutboundEmail.objects.get(kind="account")
    assert row.sent_at is None and "SMTP refused" in row.last_error
    assert "/accounts/" in row.body  # kept until sent

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_sweep() == 1
    [message] = mail.outbox
    assert message.to == ["newbie@example.com"] and "/accounts/" in message.body
    row.refresh_from_db()
    assert row.sent_at is not None and row.body == ""
