"""The help-centre widget: framed only by the origins staff allow, no cookies, search over
questions and the FAQ, the best answers of a topic; every other page stays unframeable."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Question
from moderation.content import ModerationState
from tests.factories import logged_in
from tests.forum.factories import FaqEntryFactory, QuestionFactory, TagFactory
from webhooks.models import EmbedOrigin

pytestmark = pytest.mark.django_db

WIDGET = "/embed/widget/"


def _frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    (directive,) = [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]
    return directive


def test_the_widget_may_be_framed_only_by_the_allowed_origins(client):
    EmbedOrigin.objects.create(origin="https://help.example.com")
    EmbedOrigin.objects.create(origin="http://127.0.0.1:8122")
    response = client.get(WIDGET)
    assert response.status_code == 200
    assert _frame_ancestors(response) == (
        "frame-ancestors http://127.0.0.1:8122 https://help.example.com"
    )
    assert "X-Frame-Options" not in response


def test_with_no_origin_allowed_nobody_may_frame_it(client):
    assert _frame_ancestors(client.get(WIDGET)) == "frame-ancestors 'none'"


def test_a_change_of_the_origins_shows_at_once_even_through_the_page_cache(client, settings):
    settings.VECHE_PAGE_CACHE_SECONDS = 300
    assert "'none'" in _frame_ancestors(client.get(WIDGET))
    EmbedOrigin.objects.create(origin="https://help.example.com")
    assert _frame_ancestors(client.get(WIDGET)) == "frame-ancestors https://help.example.com"


@pytest.mark.parametrize("path", ["/", "/questions/", "/faq/", "/search/?q=x", "/accounts/login/"])
def test_every_other_page_stays_unframeable(client, path):
    EmbedOrigin.objects.create(origin="https://help.example.com")
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert _frame_ancestors(response) == "frame-ancestors 'none'"


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_widget_sets_no_cookie(client, member, who):
    if who == "member":
        client = logged_in(member)
    for query in ("", "?q=export", "?topic=billing", "?q=" + "x" * 300):
        response = client.get(WIDGET + query, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.cookies == {}, query
        assert b"csrfmiddlewaretoken" not in response.content


def test_the_widget_searches_questions_and_the_faq(client):
    QuestionFactory(title="Exporting invoices to CSV")
    FaqEntryFactory(title="How exporting works")
    QuestionFactory(title="Unrelated billing question")
    response = client.get(WIDGET, {"q": "exporting"})
    text = response.content.decode()
    assert "Exporting invoices to CSV" in text and "How exporting works" in text
    assert "Unrelated billing question" not in text
    assert 'target="_blank"' in text and "Ask the community" in text


def test_the_widget_shows_the_best_answered_questions_of_a_topic(client):
    billing = TagFactory(name="billing", slug="billing")
    best = QuestionFactory(title="Best billing answer", score=9, tags=[billing])
    QuestionFactory(title="Other billing", score=1, tags=[billing])
    QuestionFactory(title="Unsolved billing", score=50, tags=[billing])
    QuestionFactory(title="Not billing", score=20)
    Question.objects.exclude(title="Unsolved billing").update(solved_at=timezone.now())
    assert best.pk
    text = client.get(WIDGET, {"topic": "billing"}).content.decode()
    assert text.index("Best billing answer") < text.index("Other billing")
    assert "Unsolved billing" not in text and "Not billing" not in text
    # No topic: every topic.
    assert "Not billing" in client.get(WIDGET).content.decode()


def test_hidden_questions_never_show_in_the_widget(client):
    QuestionFactory(title="Held question", moderation_state=ModerationState.HELD)
    QuestionFactory(title="Published question")
    Question.objects.update(solved_at=timezone.now())
    text = client.get(WIDGET).content.decode()
    assert "Published question" in text and "Held question" not in text


def test_bad_widget_input_is_a_400_not_a_500(client):
    assert client.get(WIDGET, {"q": "x" * 300}).status_code == 400
    assert client.get(WIDGET, {"topic": "<script>"}).status_code == 400


@pytest.mark.parametrize("rows", [2, 20])
def test_widget_query_count(client, django_assert_num_queries, no_page_cache, rows):
    tag = TagFactory(slug="billing")
    for _ in range(rows):
        QuestionFactory(tags=[tag])
    Question.objects.update(solved_at=timezone.now())
    client.get(WIDGET)  # warms the settings and the origins
    # the topic's tag, its best solved questions
    with django_assert_num_queries(2):
        response = client.get(WIDGET, {"topic": "billing"})
    assert response.content.count(b'target="_blank"') == min(rows, 5) + 1


def test_staff_allow_and_remove_origins(staff_client):
    url = reverse("webhooks:embed-origins")
    response = staff_client.post(url, {"origin": "https://Help.Example.com/"})
    assert response.status_code == 302
    origin = EmbedOrigin.objects.get()
    assert origin.origin == "https://help.example.com"
    page = staff_client.get(url).content.decode()
    assert "https://help.example.com" in page and "/static/js/embed.js" in page
    staff_client.post(reverse("webhooks:embed-origin-delete", args=[origin.pk]))
    assert not EmbedOrigin.objects.exists()


@pytest.mark.parametrize(
    "value", ["help.example.com", "https://help.example.com/faq", "javascript:alert(1)", "ftp://x"]
)
def test_a_bad_origin_gets_a_form_error(staff_client, value):
    response = staff_client.post(reverse("webhooks:embed-origins"), {"origin": value})
    assert response.status_code == 400
    assert not EmbedOrigin.objects.exists()


def test_the_embed_script_is_a_static_file_that_loads_nothing_else():
    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "embed.js").read_text()
    assert "/embed/widget/" in script
    for loads_or_stores in ('createElement("script")', "import(", "fetch(", "document.cookie"):
        assert loads_or_stores not in script
