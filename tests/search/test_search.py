import pytest
from django.urls import reverse

from forum.models import Answer, FaqEntry, Question
from forum.services import answers, questions
from forum.services import faq as faq_services
from search import excerpts, selectors
from tests.forum.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def _ask(author, category, title, body):
    return questions.question_create(author=author, category=category, title=title, body=body)


def test_search_finds_questions_answers_and_faq_with_highlights(client, member, staff, category):
    question = _ask(
        member,
        category,
        "Invoice export fails with an error",
        "When I export the invoice I get an error <script>x</script>.",
    )
    answers.answer_create(
        author=staff, question=question, body="The invoice export needs the billing role."
    )
    faq_services.faq_entry_create(
        actor=staff,
        category=category,
        title="Exporting invoices",
        body="Go to Billing and press **Export invoice**.",
    )
    response = client.get(reverse("search:search"), {"q": "invoice export"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 results" in body
    assert "<mark>" in body
    assert "<script>x" not in body
    only_faq = client.get(reverse("search:search"), {"q": "invoice", "type": "faq"})
    assert "1 result" in only_faq.content.decode()


def test_empty_and_bad_search_input(client):
    assert client.get(reverse("search:search")).status_code == 200
    assert client.get(reverse("search:search"), {"q": "   "}).status_code == 200
    assert client.get(reverse("search:search"), {"q": "x", "type": "bogus"}).status_code == 400
    assert client.get(reverse("search:search"), {"q": "%_'\"\\<>"}).status_code == 200


def test_fallback_excerpt_escapes_before_highlighting():
    html = excerpts.excerpt_html("script alert", "a <script>alert(1)</script> b &amp; script")
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;" in html


def test_solved_questions_rank_higher(member, staff, category):
    plain = _ask(member, category, "Webhook retries question", "How do webhook retries work?")
    solved = _ask(member, category, "Webhook retries question too", "How do webhook retries work?")
    answer = answers.answer_create(author=staff, question=solved, body="Five times.")
    answers.answer_accept(actor=member, answer=answer)
    hits = selectors.search("webhook retries", viewer=None, kinds=["question"])
    assert [h.url for h in hits][:2] == [solved.get_absolute_url(), plain.get_absolute_url()]


@pytest.mark.postgres
def test_postgres_russian_word_forms_english_stems_and_ranking(member, staff):
    category = CategoryFactory()
    ru = _ask(
        member,
        category,
        "Ошибка при оплате картой",
        "Появляется ошибка при оплате картой, что делать?",
    )
    en = _ask(
        member,
        category,
        "Payment failure on checkout",
        "The payments keep failing when I check out.",
    )
    weak = _ask(
        member,
        category,
        "Checkout layout question",
        "Unrelated text, mentions a failed payment once.",
    )
    answers.answer_create(author=staff, question=en, body="Payments fail without 3-D Secure.")
    assert Question.objects.filter(search_vector__isnull=True).count() == 0
    assert Answer.objects.filter(search_vector__isnull=True).count() == 0

    hits = selectors.search("ошибки", viewer=None, kinds=["question"])
    assert [h.url for h in hits] == [ru.get_absolute_url()]
    assert "<mark>" in str(hits[0].excerpt)

    hits = selectors.search("failed payments", viewer=None, kinds=["question"])
    urls = [h.url for h in hits]
    assert set(urls) == {en.get_absolute_url(), weak.get_absolute_url()}
    assert urls[0] == en.get_absolute_url()  # in the title and body: ranked first
    assert hits[0].rank > hits[1].rank


@pytest.mark.postgres
def test_postgres_faq_and_answers_are_searchable_and_highlight_is_escaped(member, staff):
    category = CategoryFactory()
    question = _ask(member, category, "Exporting reports", "How to export <b>reports</b>?")
    answers.answer_create(
        author=staff,
        question=question,
        body="Reports export from the <img src=x onerror=alert(1)> menu.",
    )
    faq_services.faq_entry_create(
        actor=staff,
        category=category,
        title="Report exports",
        body="Exports of reports are in Settings.",
    )
    hits = selectors.search("export reports", viewer=None)
    assert {h.kind for h in hits} == {"question", "answer", "faq"}
    for hit in hits:
        assert "<img" not in str(hit.excerpt) and "<b>" not in str(hit.excerpt)
    assert FaqEntry.objects.filter(search_vector__isnull=False).count() == 1
