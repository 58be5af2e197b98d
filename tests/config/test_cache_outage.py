"""Redis away or slow: the cache counts as missing (config.cache.ResilientRedisCache). Pages
render from the database, members stay signed in (sessions are in the database too), posts
are stored; touches lost during the outage are made up as soon as Redis is back, so nothing
stored before it is served after a change made during it (issue 22, first part)."""

import os

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from config import cache as veche_cache
from config.cache import SITE, CacheUnavailable, ResilientRedisCache, touch, versions
from forum.models import Answer
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens there: refused at once


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield
    veche_cache._lost_touches.clear()


def test_with_redis_away_reads_miss_writes_do_nothing_and_incr_says_so(redis_away):
    """(And after the first failure the process does not wait for Redis again for a while.)"""
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 1) is False and cache.set("k", 1) is None
    assert "k" not in cache
    with pytest.raises(CacheUnavailable):
        cache.incr("k")
    assert versions((SITE, "questions")) == (None, None)


def test_with_redis_away_pages_render_members_stay_signed_in_and_posts_are_stored(
    redis_away,
):
    question = QuestionFactory(title="Readable without Redis")
    member = MemberFactory()
    client = logged_in(member)  # the session is in the database as well
    for path in ("/", "/questions/", question.get_absolute_url(), "/search/?q=Readable"):
        assert Client().get(path).status_code == 200, path
        response = client.get(path)
        assert response.status_code == 200 and member.name in response.content.decode()
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "Stored all the same."})
    assert response.status_code == 302
    assert Answer.objects.filter(question=question, body="Stored all the same.").exists()


@pytest.mark.redis
def test_a_touch_lost_during_an_outage_is_made_up_when_redis_is_back(redis_cache, monkeypatch):
    question = QuestionFactory(title="Before the outage")
    page = question.get_absolute_url()
    Client().get(page)  # stored under the current versions
    before = versions((SITE, f"question:{question.pk}"))

    def refused(*args, **kwargs):
        raise RedisConnectionError("refused")

    with monkeypatch.context() as outage:
        outage.setattr("redis.connection.ConnectionPool.get_connection", refused)
        touch(f"question:{question.pk}")  # lost: Redis is away for writes
    assert veche_cache._lost_touches
    cache.away_until = 0.0  # Redis is back, and the process's pause after the failure is over
    assert versions((SITE, f"question:{question.pk}")) != before  # made up at the next read
    assert not veche_cache._lost_touches


def test_the_production_cache_is_the_resilient_one_with_short_timeouts():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s; c=s.CACHES['default'];"
        "print(c['BACKEND'], c['OPTIONS']['socket_timeout'])"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["config.cache.ResilientRedisCache", "0.5"], out.stderr
    assert issubclass(ResilientRedisCache, RedisCache)  # Django's Redis backend underneath


@pytest.mark.redis
def test_one_redis_client_serves_every_command_and_outlives_an_outage(redis_cache, monkeypatch):
    """Django builds a redis-py client per command (90 µs each, about 11 a page); the cache
    keeps one per connection pool. It stays usable after Redis was away: the pool reconnects."""
    backend = cache._cache
    assert backend.get_client("a") is backend.get_client("b")
    assert backend.get_client("a", write=True) is backend.get_client("b", write=True)
    cache.set("kept-client", 1)

    def refused(*args, **kwargs):
        raise RedisConnectionError("refused")

    with monkeypatch.context() as outage:
        outage.setattr("redis.connection.ConnectionPool.get_connection", refused)
        assert cache.get("kept-client", "missed") == "missed"
    cache.away_until = 0.0  # Redis is back, and the pause after the failure is over
    assert cache.get("kept-client") == 1


@pytest.mark.redis
def test_incr_is_one_trip_to_redis_and_keeps_djangos_answers(redis_cache, monkeypatch):
    """Django's ``incr`` asks ``EXISTS`` and then ``INCR``: two trips for every version a write
    makes new. The cache sends one script instead, with the same answers: a missing key is a
    ``ValueError`` and stays missing; an existing one keeps its expiry."""
    import redis

    sent = []
    send = redis.Redis.execute_command

    def counting(self, *args, **kwargs):
        sent.append(args[0])
        return send(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    with pytest.raises(ValueError):
        cache.incr("counted")
    assert cache.get("counted") is None
    cache.set("counted", 41, 30)
    sent.clear()
    assert cache.incr("counted") == 42
    assert cache.incr("counted", 5) == 47
    assert sent == ["EVAL", "EVAL"]
    assert cache.get("counted") == 47
    assert 0 < cache._cache.get_client(write=True).ttl(cache.make_key("counted")) <= 30
