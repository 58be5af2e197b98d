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


# --- Views counted in Redis and flushed (config.counters) ------------------------------------


def _db_views(model, pk) -> int:
    return model.objects.filter(pk=pk).values_list("view_count", flat=True).get()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_views_wait_in_redis_and_one_flush_adds_them_to_the_rows(redis_cache):
    """Visitors' views (pages served from the cache too) and an FAQ entry's: no row is
    updated per view; the flush adds them all, and a second flush adds nothing."""
    from django.test import Client

    from config import counters
    from forum.models import FaqEntry, QuestionRead
    from forum.tasks import counters_flush_task
    from tests.factories import MemberFactory
    from tests.forum.factories import FaqEntryFactory

    question, other, entry = QuestionFactory(), QuestionFactory(), FaqEntryFactory()
    for _ in range(3):  # the first renders, the next two come from the page cache
        assert Client().get(question.get_absolute_url()).status_code == 200
    member = MemberFactory()
    signed_in = Client()
    signed_in.force_login(member)
    assert signed_in.get(question.get_absolute_url()).status_code == 200
    assert Client().get(entry.get_absolute_url()).status_code == 200
    # A member's view goes to the row at once, with their read marker (one round trip).
    assert QuestionRead.objects.filter(member=member, question=question).exists()
    assert (_db_views(Question, question.pk), _db_views(FaqEntry, entry.pk)) == (1, 0)

    with CaptureQueriesContext(connection) as captured:
        assert counters_flush_task() == 2
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # one statement per counter, not one per view
    assert _db_views(Question, question.pk) == 4
    assert _db_views(Question, other.pk) == 0
    assert _db_views(FaqEntry, entry.pk) == 1
    assert counters.flush() == 0
    assert _db_views(Question, question.pk) == 4


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_flush_the_database_refuses_gives_the_views_back_to_redis(redis_cache, monkeypatch):
    from config import counters

    question = QuestionFactory()
    for _ in range(2):
        counters.counter_add(Question, question.pk, "view_count")

    def refused(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(counters, "counter_add_many", refused)
    with pytest.raises(RuntimeError):
        counters.flush()
    monkeypatch.undo()
    assert _db_views(Question, question.pk) == 0
    assert counters.flush() == 1
    assert _db_views(Question, question.pk) == 2


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_redis_away_a_view_is_written_at_once(redis_cache, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from config import counters

    question = QuestionFactory()

    def away(self, *args, **kwargs):
        raise RedisConnectionError("Redis away")

    monkeypatch.setattr("redis.client.Pipeline.execute", away)
    counters.counter_add(Question, question.pk, "view_count")
    assert _db_views(Question, question.pk) == 1
    # For a few seconds the process does not ask Redis again: the next view goes straight on.
    monkeypatch.undo()
    counters.counter_add(Question, question.pk, "view_count")
    assert _db_views(Question, question.pk) == 2


def test_without_redis_views_are_written_at_once(db):
    """The local cache (development, tests): nothing to flush, the row counts each view."""
    from config import counters

    question = QuestionFactory()
    counters.counter_add(Question, question.pk, "view_count")
    assert _db_views(Question, question.pk) == 1
    assert counters.flush() == 0


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_counter_no_release_knows_any_more_is_dropped_and_the_others_flushed(redis_cache):
    """Views a previous release counted on a model or field since removed block nothing."""
    from django.core.cache import caches

    from config import counters

    question = QuestionFactory()
    counters.counter_add(Question, question.pk, "view_count")
    backend = caches["default"]
    client = backend._cache.get_client(write=True)
    for gone in ("forum.gone:view_count", "forum.question:gone_count"):
        client.hincrby(backend.make_key(counters.PREFIX + gone), "1", 3)
        client.sadd(backend.make_key(counters.NAMES), gone)
    assert counters.flush() == 1
    assert _db_views(Question, question.pk) == 1
    names = {raw.decode() for raw in client.smembers(backend.make_key(counters.NAMES))}
    assert names == {"forum.question:view_count"}


def test_beat_flushes_the_counters_with_the_registered_task(settings):
    """Without its schedule the views counted in Redis would never reach the rows."""
    from config.celery import app
    from forum.tasks import counters_flush_task

    entry = settings.CELERY_BEAT_SCHEDULE["forum.counters_flush"]
    assert entry["task"] == counters_flush_task.name
    assert counters_flush_task.name in app.tasks
    assert entry["schedule"].total_seconds() == settings.VECHE_COUNTER_FLUSH_SECONDS
    assert entry["options"]["expires"] == settings.VECHE_COUNTER_FLUSH_SECONDS
