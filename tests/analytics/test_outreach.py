"""Personal outreach (issue 20, point 2): a manager writes to members at risk from an edited
letter with placeholders, as themselves, through the outbox; each letter is recorded, and a
member who came back counts once however many letters they got."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from analytics import services
from analytics.forms import DateRange
from analytics.models import ReengagementLetter
from analytics.selectors.members import at_risk_panel
from members.letters import letter_fill
from members.models import ActivityDay, LetterTemplate, Member, OutboundEmail
from members.services import outbox_deliver
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import QuestionFactory, TagFactory

from .factories import member_joined

pytestmark = pytest.mark.django_db

WRITE = reverse("analytics:outreach-write")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def manager(db):
    return MemberFactory(
        username="olga", display_name="Olga Petrova", email="olga@company.example", is_staff=True
    )


@pytest.fixture
def letter(manager):
    return LetterTemplate.objects.create(
        name="Checking in",
        subject="{name}, we miss you",
        body="Hi {name}! You asked “{last_question}” about {tags}. — {manager}",
        subject_ru="{name}, мы скучаем",
        body_ru="Привет, {name}! Вы спрашивали «{last_question}» про {tags}. — {manager}",
        updated_by=manager,
    )


@pytest.fixture
def anna(today):
    anna = member_joined(
        today - timedelta(days=300), active=[today - timedelta(days=100)], display_name="Anna"
    )
    QuestionFactory(author=anna, title="Export to CSV?", tags=[TagFactory(name="export")])
    return anna


def _header(message, name: str) -> str:
    return str(make_header(decode_header(message.message()[name])))


def test_the_preview_shows_the_letter_as_the_member_will_read_it(manager, letter, anna):
    response = logged_in(manager).get(WRITE, {"member": anna.pk, "template": letter.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna, we miss you" in html
    assert "Hi Anna! You asked “Export to CSV?” about export. — Olga Petrova" in html
    assert "olga@company.example" in html
    assert not OutboundEmail.objects.exists()  # a preview sends nothing


def test_sending_writes_as_the_manager_through_the_outbox_and_records_it(
    manager, letter, anna, today
):
    response = logged_in(manager).post(WRITE, {"member": [anna.pk], "template": letter.pk})
    assert response.status_code == 302 and response["Location"] == reverse("analytics:at-risk")
    record = ReengagementLetter.objects.get(member=anna)
    assert (record.sender, record.template, record.sent_on) == (manager, letter, today)
    assert record.email.kind == "welcome" and record.period is None
    assert record.email.headers["Reply-To"] == "olga@company.example"
    mail.outbox.clear()
    outbox_deliver()
    [message] = mail.outbox
    assert message.subject == "Anna, we miss you"
    assert "You asked “Export to CSV?” about export" in message.body
    assert _header(message, "From").startswith("Olga Petrova <")
    assert _header(message, "Reply-To") == "olga@company.example"
    assert "List-Unsubscribe" in message.extra_headers


def test_a_russian_member_gets_the_russian_text(manager, letter, anna):
    Member.objects.filter(pk=anna.pk).update(preferred_language="ru")
    services.outreach_send(actor=manager, member_ids=[anna.pk], template=letter)
    email = OutboundEmail.objects.get(recipient=anna)
    assert email.subject == "Anna, мы скучаем"
    assert "Привет, Anna! Вы спрашивали «Export to CSV?» про export. — Olga Petrova" in email.body


def test_members_who_opted_out_or_were_just_written_to_are_skipped(manager, letter, anna, today):
    other = member_joined(today - timedelta(days=100), active=[today - timedelta(days=60)])
    Member.objects.filter(pk=other.pk).update(email_preferences={"welcome": False})
    first = services.outreach_send(actor=manager, member_ids=[anna.pk, other.pk], template=letter)
    assert (first.sent, first.opted_out, first.written_lately) == (1, 1, 0)
    again = services.outreach_send(actor=manager, member_ids=[anna.pk], template=letter)
    assert (again.sent, again.written_lately) == (0, 1)
    assert ReengagementLetter.objects.count() == 1


def test_only_members_at_risk_can_be_written_to(manager, letter, today):
    active = member_joined(today - timedelta(days=100), active=[today])
    response = logged_in(manager).post(WRITE, {"member": [active.pk], "template": letter.pk})
    assert response.status_code == 400
    assert not ReengagementLetter.objects.exists()
    assert logged_in(manager).post(WRITE, {"template": letter.pk}).status_code == 400
    assert logged_in(manager).post(WRITE, {"member": ["x"], "template": "y"}).status_code == 400
    huge = str(2**70)  # past any primary key: a form error, not a database error
    assert logged_in(manager).post(WRITE, {"member": [huge], "template": huge}).status_code == 400


def test_members_and_moderators_cannot_send(letter, anna, moderator):
    for who in (MemberFactory(), moderator):
        response = logged_in(who).post(WRITE, {"member": [anna.pk], "template": letter.pk})
        assert response.status_code == 403
    assert not ReengagementLetter.objects.exists()


def test_a_member_who_came_back_after_two_letters_counts_once(manager, letter, anna, today):
    """Two managers wrote (from two letters, ten days apart); Anna came back after both."""
    other_manager = MemberFactory(is_staff=True, display_name="Ivan")
    second = LetterTemplate.objects.create(name="Second try", subject="s", body="b")
    first_day, second_day = today - timedelta(days=25), today - timedelta(days=15)
    services.outreach_send(actor=manager, member_ids=[anna.pk], template=letter, today=first_day)
    services.outreach_send(
        actor=other_manager, member_ids=[anna.pk], template=second, today=second_day
    )
    ActivityDay.objects.create(member=anna, day=second_day + timedelta(days=2))
    panel = at_risk_panel(DateRange(today - timedelta(days=29), today))
    figures = {f.label: (f.value, f.note) for f in panel.figures}
    assert figures["Re-engagement e-mails sent in the period"][0] == 1
    assert figures["Came back within 14 days"] == (1, "100.0%")
    tables = {t.key: t.rows for t in panel.tables}
    assert sorted(tables["outreach-by-manager"]) == [
        ["Ivan", 1, 1, "100.0%"],
        ["Olga Petrova", 1, 1, "100.0%"],
    ]
    assert sorted(tables["outreach-by-template"]) == [
        ["Checking in", 1, 1, "100.0%"],
        ["Second try", 1, 1, "100.0%"],
    ]


def test_the_dashboard_shows_came_back_per_manager_with_a_csv(staff_client, manager, letter, anna):
    services.outreach_send(actor=manager, member_ids=[anna.pk], template=letter)
    html = staff_client.get(reverse("analytics:dashboard")).content.decode()
    assert "Came back, by who wrote" in html and "Olga Petrova" in html
    url = reverse("analytics:table-csv", args=["outreach-by-template"])
    assert staff_client.get(url).content.decode().splitlines()[1] == "Checking in,1,0,0.0"


def test_the_monthly_job_skips_members_a_manager_wrote_to_lately(manager, letter, anna, today):
    services.outreach_send(actor=manager, member_ids=[anna.pk], template=letter)
    assert services.reengagement_send(today=today) == 0


def test_placeholders_are_substituted_never_evaluated():
    values = {"name": "Anna", "tags": "export"}
    text = "{name} {name.__class__} {tags[0]} {unknown} {{name}} %(name)s {{ name }}"
    assert letter_fill(text, values) == (
        "Anna {name.__class__} {tags[0]} {unknown} {Anna} %(name)s {{ name }}"
    )
