"""View counters (config.db.counter_increment): one more per call, nothing else touched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.db import counter_increment
from forum.models import Question
from tests.forum.factories import QuestionFactory


@pytest.mark.django_db
def test_a_counter_goes_up_by_one_inside_a_transaction():
    question, other = QuestionFactory(), QuestionFactory()
    for _ in range(3):
        counter_increment(Question, question.pk, "view_count")
    question.refresh_from_db()
    other.refresh_from_db()
    assert (question.view_count, other.view_count) == (3, 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgres_gets_one_round_trip_and_the_connection_stays_clean():
    from psycopg.pq import TransactionStatus

    question = QuestionFactory()
    with CaptureQueriesContext(connection) as captured:
        counter_increment(Question, question.pk, "view_count")
    assert len(captured) == 1
    sql = captured.captured_queries[0]["sql"]
    assert sql.startswith("BEGIN; SET LOCAL synchronous_commit TO OFF") and "COMMIT" in sql
    assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    assert Question.objects.get(pk=question.pk).view_count == 1
    # A failing update leaves no transaction open behind it.
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the driver raises
        counter_increment(Question, "not a number", "view_count")
    assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    counter_increment(Question, question.pk, "view_count")
    assert Question.objects.get(pk=question.pk).view_count == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_members_view_of_a_question_is_one_round_trip_that_does_not_wait_for_the_disk():
    """The view count and the member's read marker: one string, one transaction."""
    from forum.models import QuestionRead
    from forum.services.watching import question_visit_record
    from tests.factories import MemberFactory

    question, member = QuestionFactory(answer_count=2), MemberFactory()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            question_visit_record(question=question, member=member)
        assert len(captured) == 1
        assert captured.captured_queries[0]["sql"].startswith(
            "BEGIN; SET LOCAL synchronous_commit TO OFF"
        )
    assert Question.objects.get(pk=question.pk).view_count == 2
    read = QuestionRead.objects.get(member=member, question=question)
    assert read.answer_count == 2
