"""Letters staff edit on the site (issue 20, points 2 and 3): outreach letters and the
welcome letter, in both languages, signed by a named manager."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import LetterTemplate, OutboundEmail
from members.services import outbox_deliver, welcome_email_sweep
from tests.factories import MemberFactory, logged_in

pytestmark = pytest.mark.django_db

LIST = reverse("members:letter-list")
NEW = reverse("members:letter-new")
WELCOME = reverse("members:welcome-letter")


@pytest.fixture
def manager(db):
    return MemberFactory(
        username="olga", display_name="Olga Petrova", email="olga@company.example", is_staff=True
    )


def _outreach(**fields) -> dict:
    return {
        "name": "Checking in",
        "subject": "{name}, we miss you",
        "body": "Hello {name}, {manager}",
        "subject_ru": "{name}, мы скучаем",
        "body_ru": "Здравствуйте, {name}! {manager}",
        **fields,
    }


@pytest.mark.parametrize("url", [LIST, NEW, WELCOME])
def test_visitors_log_in_members_and_moderators_get_403(client, moderator, url):
    assert client.get(url).status_code == 302
    for who in (MemberFactory(), moderator):
        assert logged_in(who).get(url).status_code == 403
    if url != LIST:
        assert logged_in(MemberFactory()).post(url, _outreach()).status_code == 403
    assert not LetterTemplate.objects.exists()


def test_staff_write_an_outreach_letter_in_both_languages(manager):
    client = logged_in(manager)
    page = client.get(NEW).content.decode()
    assert "{last_question}" in page  # the placeholders are explained, the default filled in
    response = client.post(NEW, _outreach())
    assert response.status_code == 302
    letter = LetterTemplate.objects.get()
    assert letter.purpose == "outreach" and letter.updated_by == manager
    assert (letter.subject_ru, letter.body_ru) == (
        "{name}, мы скучаем",
        "Здравствуйте, {name}! {manager}",
    )
    listing = client.get(LIST).content.decode()
    assert "Checking in" in listing
    edit = reverse("members:letter-edit", args=[letter.pk])
    assert client.post(edit, _outreach(name="Renamed")).status_code == 302
    letter.refresh_from_db()
    assert letter.name == "Renamed"


def test_an_unknown_placeholder_is_a_form_error(manager):
    response = logged_in(manager).post(NEW, _outreach(body_ru="Привет, {имя} {name.__class__}"))
    assert response.status_code == 400
    assert "Unknown placeholder" in response.content.decode()
    assert not LetterTemplate.objects.exists()


def test_a_missing_letter_is_404(manager):
    assert logged_in(manager).get(reverse("members:letter-edit", args=[999])).status_code == 404


def test_the_default_welcome_letter_asks_the_newcomers_opinion_and_invites_a_reply():
    MemberFactory(date_joined=timezone.now() - timedelta(hours=26), display_name="Nina")
    welcome_email_sweep()
    email = OutboundEmail.objects.get(kind="welcome")
    assert email.subject == "Welcome to Veche, Nina"
    assert "what do you think of the product" in email.body
    assert "Just reply to this e-mail" in email.body
    assert "/questions/" in email.body  # the places to start stay, below the letter


def test_the_welcome_letter_edited_on_the_site_is_signed_and_sent_by_its_manager(manager):
    client = logged_in(manager)
    page = client.get(WELCOME).content.decode()
    assert "what do you think of the product" in page  # starts from the default text
    response = client.post(
        WELCOME,
        {
            "name": "Welcome",
            "subject": "Hi {name}, welcome to {community}",
            "body": "Hi {name}, I am {manager}. What do you think of us so far? Reply!",
            "subject_ru": "{name}, добро пожаловать",
            "body_ru": "Здравствуйте, {name}! Меня зовут {manager}. Что вы думаете? Ответьте!",
            "signer": manager.pk,
        },
    )
    assert response.status_code == 302
    welcome = LetterTemplate.objects.get(purpose="welcome")
    assert welcome.signer == manager

    MemberFactory(date_joined=timezone.now() - timedelta(hours=30), display_name="Nina")
    MemberFactory(
        date_joined=timezone.now() - timedelta(hours=30),
        display_name="Пётр",
        preferred_language="ru",
    )
    mail.outbox.clear()
    assert welcome_email_sweep() == 2
    outbox_deliver()
    by_subject = {m.subject: m for m in mail.outbox}
    english = by_subject["Hi Nina, welcome to Veche"]
    assert "Hi Nina, I am Olga Petrova. What do you think of us so far? Reply!" in english.body
    assert str(make_header(decode_header(english.message()["From"]))).startswith("Olga Petrova <")
    assert english.message()["Reply-To"] == "olga@company.example"
    russian = by_subject["Пётр, добро пожаловать"]
    assert "Здравствуйте, Пётр! Меня зовут Olga Petrova." in russian.body


def test_only_staff_can_sign_the_welcome_letter(manager):
    outsider = MemberFactory()
    response = logged_in(manager).post(
        WELCOME, {"name": "W", "subject": "s", "body": "b", "signer": outsider.pk}
    )
    assert response.status_code == 400
    assert not LetterTemplate.objects.exists()
