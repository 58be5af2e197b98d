import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import DeflectionFeedback, FaqEntry, Question
from forum.services import faq as faq_services
from tests.forum.factories import AnswerFactory, CategoryFactory, FaqEntryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_faq_groups_entries_by_category_in_staff_order(client):
    first = CategoryFactory(name="Accounts", position=1)
    second = CategoryFactory(name="Billing", position=2)
    FaqEntryFactory(category=second, title="Billing entry B", position=2)
    FaqEntryFactory(category=second, title="Billing entry A", position=1)
    FaqEntryFactory(category=first, title="Accounts entry")
    FaqEntryFactory(category=first, title="Draft entry", is_published=False)
    body = client.get(reverse("forum:faq")).content.decode()
    assert (
        body.index("Accounts entry") < body.index("Billing entry A") < body.index("Billing entry B")
    )
    assert "Draft entry" not in body


def test_staff_creates_and_edits_an_entry(staff_client, category):
    response = staff_client.post(
        reverse("forum:faq-create"),
        {
            "category": category.pk,
            "title": "How do refunds work?",
            "body": "Within **14** days.",
            "position": 3,
            "review_by": "2030-01-01",
            "is_published": "on",
        },
    )
    entry = FaqEntry.objects.get()
    assert response.status_code == 302
    assert "<strong>14</strong>" in entry.body_html
    staff_client.post(
        reverse("forum:faq-edit", args=[entry.pk]),
        {
            "category": category.pk,
            "title": "How do refunds work now?",
            "body": "Within 30 days.",
            "position": 3,
            "is_published": "on",
        },
    )
    entry.refresh_from_db()
    assert entry.title == "How do refunds work now?"
    assert staff_client.post(reverse("forum:faq-create"), {"title": ""}).status_code == 400


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_others_cannot_edit_the_faq(client, role, member, category):
    if role == "member":
        client.force_login(member)
    response = client.post(
        reverse("forum:faq-create"),
        {"category": category.pk, "title": "Sneaky", "body": "x", "position": 0},
    )
    assert response.status_code in (302, 403)
    if role == "member":
        assert response.status_code == 403
    assert not FaqEntry.objects.exists()


def test_staff_promotes_a_solved_question(staff_client, member_client):
    question = QuestionFactory(title="How do I export invoices?")
    answer = AnswerFactory(question=question, body="Use Billing → Export.")
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    assert (
        member_client.post(reverse("forum:question-promote", args=[question.pk])).status_code == 403
    )
    assert not FaqEntry.objects.exists()


def test_promotion_keeps_a_link_to_the_source(staff_client):
    question = QuestionFactory(title="How do I export invoices?")
    answer = AnswerFactory(question=question, body="Use Billing → Export.")
    unsolved = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    staff_client.post(reverse("forum:question-promote", args=[unsolved.pk]))
    assert not FaqEntry.objects.exists()
    response = staff_client.post(reverse("forum:question-promote", args=[question.pk]))
    entry = FaqEntry.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert entry.source_question == question and entry.body == answer.body
    page = staff_client.get(entry.get_absolute_url()).content.decode()
    assert reverse("forum:question-short", args=[question.pk]) in page


def test_views_are_counted_and_feedback_recorded_once(client, member):
    entry = FaqEntryFactory()
    client.get(entry.get_absolute_url())
    client.get(entry.get_absolute_url())
    url = reverse("forum:feedback", args=["faq", entry.pk])
    client.post(url, {"helpful": "yes", "would_have_contacted_support": "yes"})
    client.post(url, {"helpful": "no"})  # same anonymous session: ignored
    client.force_login(member)
    client.post(url, {"helpful": "no"})
    client.post(url, {"helpful": "no"})
    entry.refresh_from_db()
    assert entry.view_count == 2
    assert (entry.helpful_yes, entry.helpful_no) == (1, 1)
    rows = DeflectionFeedback.objects.order_by("id")
    assert [(r.helpful, r.would_have_contacted_support) for r in rows] == [
        (True, True),
        (False, None),
    ]
    assert client.post(url, {"helpful": "maybe"}).status_code == 400


def test_solved_question_asks_did_this_answer_your_question(client, member):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    assert (
        "Did this answer your question?"
        not in client.get(question.get_absolute_url()).content.decode()
    )
    url = reverse("forum:feedback", args=["question", question.pk])
    client.post(url, {"helpful": "yes"})
    assert not DeflectionFeedback.objects.exists()  # unsolved: refused
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    client.force_login(member)
    assert (
        "Did this answer your question?" in client.get(question.get_absolute_url()).content.decode()
    )
    response = client.post(
        url, {"helpful": "yes", "would_have_contacted_support": "no"}, HTTP_HX_REQUEST="true"
    )
    assert "Thank you" in response.content.decode()
    assert DeflectionFeedback.objects.get().question == question
    assert (
        "Did this answer your question?"
        not in client.get(question.get_absolute_url()).content.decode()
    )


def test_outdated_entries_are_marked_for_staff_only(client, staff):
    entry = FaqEntryFactory(review_by=timezone.localdate() - datetime.timedelta(days=1))
    assert "Outdated" not in client.get(entry.get_absolute_url()).content.decode()
    assert "outdated" not in client.get(reverse("forum:faq")).content.decode()
    client.force_login(staff)
    assert "Outdated" in client.get(entry.get_absolute_url()).content.decode()
    assert "outdated" in client.get(reverse("forum:faq")).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_feedback_form_is_not_offered_again_once_answered(client, member, signed_in):
    """Issue 21, defect 8: the form came back on reload and took a second answer."""
    entry = FaqEntryFactory()
    if signed_in:
        client.force_login(member)
    question_text = "Did this answer your question?"
    assert question_text in client.get(entry.get_absolute_url()).content.decode()
    url = reverse("forum:feedback", args=["faq", entry.pk])
    first = client.post(url, {"helpful": "yes"}, follow=True).content.decode()
    assert "Thank you for your feedback." in first
    assert question_text not in first
    again = client.get(entry.get_absolute_url()).content.decode()
    assert question_text not in again and "You have already answered; thank you." in again
    repeat = client.post(url, {"helpful": "no"}, follow=True).content.decode()
    assert "You have already answered; thank you." in repeat
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.helpful_no) == (1, 0)
    assert DeflectionFeedback.objects.count() == 1


def test_the_faq_page_has_a_search_box_that_searches_the_faq_only(client, staff):
    category = CategoryFactory(name="Billing")
    faq_services.faq_entry_create(
        actor=staff, category=category, title="Exporting invoices", body="Press **Export**."
    )
    QuestionFactory(title="Why do invoices export slowly?")
    html = client.get(reverse("forum:faq")).content.decode()
    start = html.index('aria-label="Search the FAQ"')
    form = html[html.rindex("<form", 0, start) : html.index("</form>", start)]
    assert f'action="{reverse("search:search")}"' in form and 'method="get"' in form
    assert 'name="q"' in form and 'name="type" value="faq"' in form

    found = client.get(reverse("search:search"), {"q": "invoices", "type": "faq"})
    body = found.content.decode()
    assert "Exporting invoices" in body
    assert "Why do invoices export slowly?" not in body
