"""When the database or the cache is away: a proper 503 page with Retry-After for every
viewer (never a bare page, never a 500), and /health/ saying which part is down (issue 22,
first part)."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from tests.factories import MemberFactory, logged_in
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_away(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    def away():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return away


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_every_viewer_gets_a_503_page_with_retry_after_when_the_database_is_away(
    database_away, who, no_page_cache
):
    question = QuestionFactory()
    client = logged_in(MemberFactory()) if who == "member" else Client()
    client.raise_request_exception = False
    database_away()
    for path in ("/", "/questions/", question.get_absolute_url(), "/search/?q=export"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "<h1>Back in a moment</h1>" in html and "Traceback" not in html
    response = client.post(f"/questions/{question.pk}/answer/", {"body": "An answer of mine."})
    assert response.status_code == 503


def test_other_errors_are_still_the_500_page_rendered_without_the_database(
    monkeypatch, member_client
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("config.views.home_sections", broken)
    member_client.raise_request_exception = False
    response = member_client.get("/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_health_says_which_part_is_down_without_details(database_away, monkeypatch):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}

    def no_cache(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")

    monkeypatch.setattr(LocMemCache, "get", no_cache)
    response = Client().get("/health/")
    assert response.status_code == 200  # the site renders from the database meanwhile
    assert response.json() == {"database": "ok", "cache": "down"}
    database_away()
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "down"}
    assert "10.0.0.5" not in response.content.decode()
