import pytest
from django.urls import reverse

from forum.services import faq as faq_services
from forum.services import questions

pytestmark = pytest.mark.django_db


def _seed(member, staff, category):
    target = questions.question_create(
        author=member,
        category=category,
        title="How can I change my invoice address?",
        body="The billing address on invoices is wrong.",
    )
    questions.question_create(
        author=member,
        category=category,
        title="Dark mode for the mobile app",
        body="Is there a dark mode?",
    )
    faq_services.faq_entry_create(
        actor=staff,
        category=category,
        title="Updating billing details",
        body="Change the invoice address under Billing.",
    )
    return target


def test_reworded_title_suggests_the_existing_question(client, member, staff, category):
    target = _seed(member, staff, category)
    response = client.get(
        reverse("forum:question-similar"),
        {"title": "Changing the address on invoices"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # a partial for htmx
    assert target.title in body and "Updating billing details" in body
    assert "Dark mode" not in body


def test_suggestions_work_without_javascript(client, member, staff, category):
    target = _seed(member, staff, category)
    page = client.get(reverse("forum:question-similar"), {"title": "invoices address change"})
    assert "<html" in page.content.decode() and target.title in page.content.decode()
    client.force_login(member)
    ask = client.get(reverse("forum:question-ask"), {"title": "invoice address changing"})
    assert target.title in ask.content.decode()
    assert 'hx-get="/questions/similar/"' in ask.content.decode()


@pytest.mark.postgres
def test_reworded_title_on_postgres(client, member, staff, category):
    test_reworded_title_suggests_the_existing_question(client, member, staff, category)
