"""The reads of an uncached question page are prepared statements on PostgreSQL
(config.db.prepared): planned once per connection, logged like any query, and no statement
outside them is prepared."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.db import prepared
from forum.models import Question
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def on(settings):
    settings.DATABASE_PREPARED_STATEMENTS = True
    settings.VECHE_PAGE_CACHE_SECONDS = 0  # every request loads and renders the page


def statements(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f'%FROM "{table}"%'],
        )
        return cursor.fetchone()[0]


def test_a_question_page_is_read_with_statements_prepared_once(on):
    question = QuestionFactory(title="Where do exported invoices go?")
    answer = AnswerFactory(question=question, body="Look in *Downloads*")
    CommentFactory(target=answer, body="Thanks, found them")
    client = Client()
    first = client.get(question.get_absolute_url())
    assert first.status_code == 200
    answers = statements("forum_answer")
    assert answers >= 1
    for _ in range(3):
        html = client.get(question.get_absolute_url()).content.decode()
        assert "<em>Downloads</em>" in html and "Thanks, found them" in html
    assert statements("forum_answer") == answers  # planned once, then reused


def test_prepared_statements_show_their_sql_in_the_query_log(on):
    """psycopg forgets a prepared statement's text: the log (and the query counts' failure
    messages) would show ``None``."""
    question = QuestionFactory()
    AnswerFactory(question=question)
    Client().get(question.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(question.get_absolute_url()).status_code == 200
    sqls = [query["sql"] for query in captured.captured_queries]
    assert all(isinstance(sql, str) for sql in sqls)
    assert any('FROM "forum_answer"' in sql for sql in sqls)


def test_queries_after_the_block_are_not_prepared_even_when_it_fails(on):
    """The connection is given back as Django made it: a 404 inside the block (a question
    that does not exist) leaves nothing else prepared."""
    assert Client().get("/questions/987654/gone/").status_code == 404
    with pytest.raises(Question.DoesNotExist), prepared(Question):
        Question.objects.get(pk=987655)
    raw = connection.connection
    assert raw.prepare_threshold is None
    before = statements("forum_tag")
    for _ in range(3):
        list(Question.objects.filter(tags__slug="billing"))
    assert statements("forum_tag") == before


def test_off_by_the_setting(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    settings.VECHE_PAGE_CACHE_SECONDS = 0
    question = QuestionFactory()
    AnswerFactory(question=question)
    for _ in range(2):
        assert Client().get(question.get_absolute_url()).status_code == 200
    assert statements("forum_answer") == 0
