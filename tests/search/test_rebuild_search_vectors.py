"""``manage.py rebuild_search_vectors`` calls the ``rebuild`` every source registered: forum's
questions, answers and FAQ, and the idea board's ideas (which it once left out)."""

from io import StringIO

import pytest
from django.core.management import call_command

from forum.models import Answer, FaqEntry, Question
from ideas.models import Idea
from search import selectors
from search.sources import SOURCES
from search.vectors import is_postgres
from tests.forum.factories import AnswerFactory, FaqEntryFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_every_source_registers_a_rebuild():
    assert {key for key, source in SOURCES.items() if source.rebuild is not None} == {
        "question",
        "answer",
        "faq",
        "idea",
    }


def test_the_command_runs_on_either_database():
    IdeaFactory(title="Export invoices to spreadsheets")
    out = StringIO()
    call_command("rebuild_search_vectors", stdout=out)
    assert out.getvalue() == "search vectors rebuilt\n"
    # Vectors are stored on PostgreSQL only; SQLite searches with LIKE.
    assert Idea.objects.filter(search_vector__isnull=True).count() == (0 if is_postgres() else 1)


@pytest.mark.postgres
def test_the_command_fills_the_vectors_of_ideas_and_of_forum_posts():
    # The idea factory skips the service that indexes: these ideas have no vector yet.
    IdeaFactory(title="Export invoices to spreadsheets", description="Monthly invoices as CSV.")
    IdeaFactory(title="Тёмная тема", description="Ошибки в отчётах видны хуже.")
    AnswerFactory(question=QuestionFactory(title="Invoice totals"), body="Use the export.")
    FaqEntryFactory(title="Exporting invoices")
    for model in (Question, Answer, FaqEntry):
        model.objects.update(search_vector=None)
    assert Idea.objects.filter(search_vector__isnull=True).count() == 2
    assert selectors.search("invoices", viewer=None, kinds=["idea"]) == []

    call_command("rebuild_search_vectors", stdout=StringIO())

    for model in (Idea, Question, Answer, FaqEntry):
        assert model.objects.filter(search_vector__isnull=True).count() == 0, model
    hits = selectors.search("invoices", viewer=None, kinds=["idea"])
    assert [h.title for h in hits] == ["Export invoices to spreadsheets"]
    assert [h.title for h in selectors.search("ошибка", viewer=None, kinds=["idea"])] == [
        "Тёмная тема"
    ]
