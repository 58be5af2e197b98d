"""The cache across processes, as production runs it: PostgreSQL, one Redis, several web
processes. A page one process stored is served by another; a change made in one process
(a hidden answer, a vote) shows at once in the other, and a vote on one question leaves
another question's stored page in place. Runs in ``make test-pg``."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from config.cache import touch
from forum.models import Answer
from moderation.content import ModerationState
from moderation.services.content import content_set_state
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# What the other process runs: visitors' GETs through the whole stack, with the production
# cache (Redis), against the test database. Prints each page's HTML as JSON.
READER = """
import json, sys
import django
django.setup()
from django.test import Client
print(json.dumps([Client().get(path).content.decode() for path in sys.argv[1:]]))
"""


def read_in_another_process(prefix: str, *paths: str) -> list[str]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "VECHE_CACHE_PREFIX": prefix,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        # A loaded CI machine can stall a reply past the production timeout; that process
        # would then render from the database, which is right but not what is tested here.
        "VECHE_REDIS_TIMEOUT": "5",
    }
    result = subprocess.run(
        [sys.executable, "-c", READER, *paths], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def title_behind_the_caches_back(question, title: str) -> None:
    """A change no scope hears of: a page still showing the old title came from the cache."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE forum_question SET title = %s WHERE id = %s", [title, question.pk])


def test_changes_in_one_process_show_at_once_in_another(redis_cache):
    a = QuestionFactory(title="Question A as stored")
    b = QuestionFactory(title="Question B as stored")
    answer = AnswerFactory(question=a, body="An answer that will be hidden")
    pages = [a.get_absolute_url(), b.get_absolute_url()]
    first = read_in_another_process(redis_cache, *pages)
    assert "An answer that will be hidden" in first[0] and "Question B as stored" in first[1]
    title_behind_the_caches_back(a, "Question A renamed quietly")
    title_behind_the_caches_back(b, "Question B renamed quietly")
    # Stored by the other process, served from Redis: the old titles.
    again = read_in_another_process(redis_cache, *pages)
    assert "Question A as stored" in again[0] and "Question B as stored" in again[1]

    # This process hides the answer: the other process shows A without it at once, and B
    # from the cache still (nothing B shows changed).
    content_set_state(Answer.objects.get(pk=answer.pk), ModerationState.HIDDEN)
    after = read_in_another_process(redis_cache, *pages)
    assert "An answer that will be hidden" not in after[0]
    assert "Question A renamed quietly" in after[0]
    assert "Question B as stored" in after[1]

    # A vote on B's score (an UPDATE through the posts' queryset) makes B's page new.
    from forum.services.votes import vote_cast

    vote_cast(member=MemberFactory(trust_level=1), post=b, value=1)
    last = read_in_another_process(redis_cache, *pages)
    assert "Question B renamed quietly" in last[1]


def test_a_touch_in_one_process_is_seen_by_the_other(redis_cache):
    question = QuestionFactory(title="Before")
    read_in_another_process(redis_cache, question.get_absolute_url())
    title_behind_the_caches_back(question, "After")
    assert "Before" in read_in_another_process(redis_cache, question.get_absolute_url())[0]
    touch(f"question:{question.pk}")
    assert "After" in read_in_another_process(redis_cache, question.get_absolute_url())[0]
