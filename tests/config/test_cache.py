"""The cache (config/cache.py): visitors' pages, what they store and who gets them; scopes, so
that a change shows at once where it shows and leaves every other page cached; no secret in
shared HTML."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.cache import READ_AHEAD, SITE, reading_ahead, remember, touch, versions
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
    touch(f"question:{question.pk}")  # what a service doing a bulk update does
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


# --- scopes: a change goes stale where it shows, and nowhere else ---------------------------


def _served_from_cache(path: str, **headers) -> bool:
    """Whether a visitor's page came from the cache (a stored page renders no template)."""
    response = Client().get(path, **headers)
    assert response.status_code == 200
    return not response.templates


def test_a_vote_on_one_question_leaves_the_others_cached_and_shows_on_its_own_at_once(member):
    """A vote on an answer of A: A's page and the list pages showing A's row are new at once;
    B's page, a list without A, the FAQ and the ideas stay cached."""
    from tests.forum.factories import TagFactory

    billing = TagFactory(slug="billing", name="billing")
    a = QuestionFactory(title="Question A")
    b = QuestionFactory(title="Question B", tags=[billing])
    answer = AnswerFactory(question=a)
    kept = [b.get_absolute_url(), "/questions/tagged/billing/", "/faq/", "/ideas/"]
    new = [a.get_absolute_url(), "/questions/"]
    for page in kept + new:
        Client().get(page)
    b_data = cache.get(f"veche:question-page:{b.pk}")
    assert all(_served_from_cache(page) for page in kept + new)
    response = logged_in(member).post(f"/qa/answer/{answer.pk}/vote/", {"value": "up"})
    assert response.status_code in (200, 302)
    assert not any(_served_from_cache(page) for page in new)
    html = Client().get(a.get_absolute_url()).content.decode()
    assert '<strong class="score" aria-label="Score">1</strong>' in html  # A at once
    assert all(_served_from_cache(page) for page in kept)
    assert cache.get(f"veche:question-page:{b.pk}") == b_data


def test_a_new_answer_shows_in_the_rows_of_its_question_at_once(member):
    a = QuestionFactory(title="Question A")
    QuestionFactory(title="Question B")
    Client().get("/questions/")
    response = logged_in(member).post(f"/questions/{a.pk}/answer/", {"body": BODY})
    assert response.status_code == 302
    html = Client().get("/questions/").content.decode()
    row = html[html.index(f'id="question-{a.pk}"') :]
    assert "<strong>1</strong> answer" in row[: row.index("</article>")]


@pytest.mark.parametrize("action", ["log in", "log out", "follow", "read notifications"])
def test_a_members_personal_actions_change_nothing_shared(question, member, action):
    member.set_password("a-long-passphrase-1")
    member.save()
    other = QuestionFactory(title="Another question")
    shared = [question.get_absolute_url(), other.get_absolute_url(), "/questions/", "/", "/faq/"]
    for page in shared:
        Client().get(page)
    scopes = (SITE, "questions", "ideas", "faq", "members", f"question:{question.pk}")
    before = versions(scopes)
    client = logged_in(member)
    if action == "log in":
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": member.username, "password": "a-long-passphrase-1"}
        )
        assert response.status_code == 302 and client.session.get("_auth_user_id")
    elif action == "log out":
        assert client.post("/accounts/logout/").status_code == 302
    elif action == "follow":
        response = client.post(f"/questions/{question.pk}/follow/")
        assert response.status_code == 302
    else:
        assert client.post("/notifications/read/").status_code == 302
    assert versions(scopes) == before
    assert all(_served_from_cache(page) for page in shared)


@pytest.mark.parametrize(
    "path, data",
    [
        ("/accounts/login/", {"login": "nobody", "password": "wrong"}),
        ("/i18n/language/", {"language": "ru", "next": "/"}),
        ("/", {}),
        ("/qa/question/1/feedback/", {}),
    ],
)
def test_a_visitors_post_empties_no_cache(question, path, data):
    Client().get("/questions/")
    before = versions((SITE, "questions", f"question:{question.pk}"))
    Client().post(path, data)
    assert versions((SITE, "questions", f"question:{question.pk}")) == before
    assert _served_from_cache("/questions/")


def test_a_change_touches_again_when_its_transaction_commits(django_capture_on_commit_callbacks):
    before = versions((SITE, "questions"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        touch("questions")
        QuestionFactory()
        touch(SITE)
    during = versions((SITE, "questions"))
    assert during[0] != before[0] and during[1] != before[1]
    for callback in callbacks:
        callback()
    after = versions((SITE, "questions"))
    assert after[0] != during[0] and after[1] != during[1]


def test_a_value_loaded_before_a_change_committed_is_never_served_after_it():
    """``remember`` keeps a value with the versions read *before* loading it: what a
    concurrent request loaded from the rows as they were is stored under old versions."""
    rows = ["old"]

    def racing_load():
        value = rows[0]
        rows[0] = "new"
        touch("demo")  # the change commits while the value is being loaded
        return value

    assert remember("k", ("demo",), racing_load, 60) == "old"
    assert remember("k", ("demo",), lambda: rows[0], 60) == "new"
    assert remember("k", ("demo",), lambda: "not loaded again", 60) == "new"


def test_a_cache_flush_never_revives_an_old_version():
    before = versions((SITE,))
    cache.clear()
    assert versions((SITE,)) != before


def test_mail_in_the_outbox_changes_no_page(member):
    """The outbox is written for every notification e-mail; no page shows it."""
    before = versions((SITE, "questions"))
    OutboundEmail.objects.create(recipient=member, to=member.email, kind="welcome", subject="Hi")
    assert versions((SITE, "questions")) == before
    QuestionFactory(author=member)
    assert versions(("questions",)) != before[1:]


# --- no secret in shared HTML; bounded variants ---------------------------------------------


def test_visitors_pages_carry_no_csrf_token_and_their_forms_work_without_one(question):
    Client().get(question.get_absolute_url())
    for path in (question.get_absolute_url(), "/questions/", "/", "/faq/", "/ideas/"):
        response = Client().get(path)
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
        assert "csrftoken" not in response.cookies
    visitor = Client(enforce_csrf_checks=True)
    switched = visitor.post("/i18n/language/", {"language": "ru", "next": "/questions/"})
    assert switched.status_code == 302 and visitor.cookies["django_language"].value == "ru"


def test_members_forms_still_need_their_token(question, member):
    client = logged_in(member)
    client.handler.enforce_csrf_checks = True
    assert client.post("/i18n/language/", {"language": "ru", "next": "/"}).status_code == 403
    html = client.get("/questions/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = {"language": "ru", "next": "/", "csrfmiddlewaretoken": token}
    assert client.post("/i18n/language/", data).status_code == 302


def test_only_declared_query_parameters_and_values_are_cached(question):
    cached = [
        "/questions/?page=2",
        "/questions/?sort=votes&status=unsolved",
        "/questions/?page=1",
        "/search/?q=invoice",
    ]
    not_cached = [
        "/questions/?utm_source=x",
        "/questions/?sort=bogus",
        "/questions/?page=100",
        "/questions/?page=1&page=2",
        "/questions/?tag=" + "x" * 50,
        "/search/?q=" + "x" * 101,
    ]
    for path in cached + not_cached:
        Client().get(path)
    assert all(_served_from_cache(path) for path in cached)
    assert not any(_served_from_cache(path) for path in not_cached)


def test_free_text_pages_are_stored_only_within_the_views_budget(question, monkeypatch):
    """Searches are free text: each view stores at most FREE_TEXT_PAGES of them per lifetime
    of the cache, whatever a visitor sends."""
    monkeypatch.setattr("config.cache.FREE_TEXT_PAGES", 2)
    for words in ("invoice", "export", "password"):
        Client().get("/search/", {"q": words})
    assert _served_from_cache("/search/?q=invoice")
    assert _served_from_cache("/search/?q=export")
    assert not _served_from_cache("/search/?q=password")


# --- read ahead: a signed-in member's usual values in one trip ---------------------------


@pytest.fixture
def counted_trips(monkeypatch):
    """Every ``get_many`` the cache makes (a trip to Redis in production), by its keys."""
    trips: list[list[str]] = []
    backend = caches["default"]
    real = backend.get_many

    def get_many(keys, *args, **kwargs):
        trips.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", get_many)
    return trips


@pytest.fixture
def demo_ahead(monkeypatch):
    monkeypatch.setitem(READ_AHEAD, "demo", lambda member_id: [("veche:demo", ("demo",))])


def test_values_read_ahead_cost_no_trip_of_their_own(counted_trips, demo_ahead, member):
    remember("veche:demo", ("demo",), lambda: "kept", 60)
    counted_trips.clear()
    loads = []
    with reading_ahead(member.pk):
        value = remember("veche:demo", ("demo",), lambda: loads.append(1) or "loaded", 60)
    assert value == "kept" and not loads
    assert len(counted_trips) == 1  # the read ahead
    assert {"veche:demo", "veche:v:demo"} <= set(counted_trips[0])


def test_a_touch_forgets_what_the_request_read_ahead(demo_ahead, member):
    remember("veche:demo", ("demo",), lambda: "old", 60)
    with reading_ahead(member.pk):
        touch("demo")  # a write earlier in the same request
        assert remember("veche:demo", ("demo",), lambda: "new", 60) == "new"


def test_a_value_read_ahead_serves_its_first_use_only(demo_ahead, member):
    """Not stored when read ahead: loaded and stored at the first use, then served from the
    cache at the second, not loaded again from the stale read-ahead."""
    loads = []

    def load():
        loads.append(1)
        return "loaded"

    with reading_ahead(member.pk):
        assert remember("veche:demo", ("demo",), load, 60) == "loaded"
        assert remember("veche:demo", ("demo",), load, 60) == "loaded"
    assert len(loads) == 1


def test_nothing_read_ahead_outlives_its_request(counted_trips, demo_ahead, member):
    with reading_ahead(member.pk):
        pass
    counted_trips.clear()
    remember("veche:demo", ("demo",), lambda: "loaded", 60)
    assert counted_trips[0] == ["veche:v:demo", "veche:demo"]


def test_a_members_page_reads_their_usual_values_in_one_trip(question, member, counted_trips):
    """The moderator flag, the community settings and the rules (every page), the member's
    drafts (the answer box) and list settings: one trip between them, not one each."""
    client = logged_in(member)
    client.get(question.get_absolute_url())  # fills the cache
    counted_trips.clear()
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    usual = {
        f"veche:is-moderator:{member.pk}",
        "veche:community-settings",
        "moderation:rules-state",
        f"veche:draft-keys:{member.pk}",
    }
    holding = [trip for trip in counted_trips if usual & set(trip)]
    assert len(holding) == 1 and usual <= set(holding[0])


def test_a_visitor_reads_nothing_ahead(question, counted_trips):
    Client().get(question.get_absolute_url())
    assert not any("veche:is-moderator" in key for trip in counted_trips for key in trip)
