import pytest
from django.urls import reverse

from forum.models import Question
from ideas import services as services_ideas
from ideas.models import Idea
from ideas.selectors import idea_search
from search.sources import SOURCES
from search.vectors import vector_update
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _idea(title, description="Details."):
    return services_ideas.idea_create(
        actor=MemberFactory(), title=title, description=description, category=IdeaCategoryFactory()
    )


def test_ideas_are_a_search_source_with_their_own_type_filter(client):
    assert "idea" in SOURCES
    _idea("Export invoices to spreadsheets", "Monthly invoices as CSV.")
    QuestionFactory(title="How do I export invoices?")
    vector_update(Question.objects.all())  # the factory skips the service that indexes
    body = client.get(reverse("search:search"), {"q": "invoices"}).content.decode()
    assert "Export invoices to spreadsheets" in body and "How do I export invoices?" in body
    response = client.get(reverse("search:search"), {"q": "invoices", "type": "idea"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Export invoices to spreadsheets" in body and "How do I export invoices?" not in body
    assert "<mark>" in body


def test_search_leaves_out_merged_and_held_ideas(client):
    keep = _idea("Calendar sync with Google")
    IdeaFactory(title="Calendar sync duplicate", merged_into=keep)
    IdeaFactory(title="Calendar sync held", moderation_state="held")
    body = client.get(reverse("search:search"), {"q": "calendar", "type": "idea"}).content.decode()
    assert "Calendar sync with Google" in body
    assert "duplicate" not in body and "held" not in body


@pytest.mark.postgres
def test_postgres_search_finds_other_word_forms_ranked():
    _idea("Ошибка при экспорте отчётов", "Экспорт падает.")
    _idea("Exporting reports fails", "The report export breaks.")
    _idea("Reports", "Something else entirely about exports of reports and reporting.")
    assert Idea.objects.filter(search_vector__isnull=False).count() == 3
    ru = idea_search("ошибки", viewer=None)
    assert [h.title for h in ru] == ["Ошибка при экспорте отчётов"]
    en = idea_search("export report", viewer=None)
    assert en[0].title in {"Exporting reports fails", "Reports"} and len(en) >= 2
    assert en == sorted(en, key=lambda h: -h.rank)
