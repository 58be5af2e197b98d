"""Read replicas (config/replicas.py): which database each kind of work reads from, the
read-your-writes cookie, unhealthy replicas, and nothing at all without replicas.

The replica here is an alias of the test database (``TEST["MIRROR"]``, as the settings give
every replica): the same rows through another connection, so the tests count the queries each
connection ran. A mirror sees only committed rows, hence transactional tests.
"""

import copy
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from ambassadors.tasks import referral_qualify_sweep_task
from config import replicas
from config.cache import remember, touch
from config.replicas import PIN_COOKIE, PrimaryTask, ReplicaMiddleware, primary
from config.settings import replica_databases
from forum.models import Answer, Question
from members.models import CommunitySettings
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import QuestionFactory

REPLICA = "replica1"
BROKEN = "replica2"  # a replica that does not answer: a closed port, or no such file

# Each test that reads rows: the replica's connection sees only what the primary committed.
on_both = pytest.mark.django_db(transaction=True, databases=["default", REPLICA, BROKEN])


@pytest.fixture(scope="module", autouse=True)
def replica_aliases(django_db_setup: None) -> Iterator[None]:
    """The two aliases exist for this module's tests only (the settings add them only when
    DATABASE_REPLICA_URLS is set)."""
    default = connections["default"].settings_dict
    mirror = {**copy.deepcopy(default), "TEST": {**default["TEST"], "MIRROR": "default"}}
    broken = copy.deepcopy(mirror)
    if default["ENGINE"].endswith("postgresql"):
        broken.update(HOST="127.0.0.1", PORT=1)
        broken["OPTIONS"] = {**broken["OPTIONS"], "connect_timeout": 2}
    else:
        broken["NAME"] = "/nonexistent-veche-replica/db.sqlite3"
    connections.settings[REPLICA] = mirror
    connections.settings[BROKEN] = broken
    yield
    for alias in (REPLICA, BROKEN):
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


@pytest.fixture(autouse=True)
def one_replica(settings: Any) -> Iterator[None]:
    settings.DATABASE_REPLICAS = [REPLICA]
    replicas._next_check.clear()
    replicas._healthy.clear()
    yield
    replicas._next_check.clear()
    replicas._healthy.clear()


@pytest.fixture
def rows(request: pytest.FixtureRequest) -> None:
    """The migrations' community settings, gone after an earlier transactional test:
    recreating them on a page would be a write, and pin the reader."""
    request.getfixturevalue("transactional_db")
    CommunitySettings.objects.get_or_create(pk=1)


@pytest.fixture
def healthy_replica() -> None:
    """The replica answered its check a moment ago (tests that run no query)."""
    replicas._mark(REPLICA, True)


@contextmanager
def queries() -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    """The queries the primary and the replica run inside the block."""
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        yield on_primary, on_replica


def in_request(request: HttpRequest, inside: Callable[[], Any]) -> tuple[Any, HttpResponse]:
    """What ``inside()`` returns when run by a view of ``request``, and the response."""
    seen = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["value"] = inside()
        return HttpResponse()

    response = ReplicaMiddleware(view)(request)
    return seen["value"], response


def read_alias() -> str | None:
    return router.db_for_read(Question)


def settled() -> None:
    """The writes so far are older than any lag a replica may have: their touches' markers
    are gone (and with this test cache, the rest of it)."""
    cache.clear()


# --- which database each kind of work reads from -------------------------------------------


@on_both
def test_a_visitors_page_is_read_from_the_replica_and_nothing_from_the_primary(rows: None):
    QuestionFactory(title="How do I export my invoices?")
    settled()
    with queries() as (on_primary, on_replica):
        response = Client().get("/questions/")
    assert response.status_code == 200
    assert "How do I export my invoices?" in response.content.decode()
    assert len(on_primary) == 0 and len(on_replica) > 0
    assert PIN_COOKIE not in response.cookies


@on_both
def test_a_member_who_posts_reads_from_the_primary_until_the_pin_expires(rows: None):
    question = QuestionFactory()
    member = MemberFactory()
    client = logged_in(member)
    client.get("/questions/")  # the day's activity is recorded: not part of what is counted
    with queries() as (on_primary, on_replica):
        posted = client.post(
            f"/questions/{question.pk}/answer/", {"body": "Restart the sync agent."}
        )
    assert posted.status_code == 302
    assert Answer.objects.filter(question=question).count() == 1
    assert len(on_primary) > 0 and len(on_replica) == 0
    cookie = posted.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert time.time() < float(cookie.value) <= time.time() + 6

    with queries() as (on_primary, on_replica):
        page = client.get(question.get_absolute_url())
    assert "Restart the sync agent." in page.content.decode()
    assert len(on_replica) == 0 and len(on_primary) > 0

    client.cookies[PIN_COOKIE] = str(int(time.time()) - 1)  # what the browser has dropped
    settled()
    with queries() as (on_primary, on_replica):
        page = client.get(question.get_absolute_url())
    assert "Restart the sync agent." in page.content.decode()
    assert member.display_name in page.content.decode()
    assert len(on_replica) > 0
    # The session is the primary's (cached_db reads it from the cache here); the member and
    # the page come from the replica.
    assert all("django_session" not in query["sql"] for query in on_replica)


@on_both
def test_a_get_that_writes_pins_its_writer_and_reads_from_the_primary_after_the_write(
    rows: None,
):
    def write_then_read() -> list[str | None]:
        found = [read_alias()]
        with transaction.atomic():
            found.append(read_alias())
        Session.objects.filter(pk="nothing").delete()  # a session's write pins nobody
        found.append(read_alias())
        Question.objects.filter(pk=0).update(view_count=1)
        return [*found, read_alias()]

    found, response = in_request(RequestFactory().get("/"), write_then_read)
    assert found == [REPLICA, "default", REPLICA, "default"]
    assert PIN_COOKIE in response.cookies


def test_which_requests_read_from_the_replica(healthy_replica: None):
    now = time.time()
    cases = [
        ("get", None, True),
        ("head", None, True),
        ("options", None, True),
        ("post", None, False),
        ("put", None, False),
        ("patch", None, False),
        ("delete", None, False),
        ("get", str(now + 5), False),  # pinned
        ("get", str(now - 1), True),  # the pin has expired
        ("get", "not a time", True),
    ]
    for method, cookie, replica in cases:
        request = getattr(RequestFactory(), method)("/")
        if cookie is not None:
            request.COOKIES[PIN_COOKIE] = cookie
        alias, response = in_request(request, read_alias)
        assert alias == (REPLICA if replica else "default"), (method, cookie)
        # Only a write pins; reading renews nothing.
        assert (PIN_COOKIE in response.cookies) is (method not in ("get", "head", "options"))


def test_sessions_and_primary_blocks_read_from_the_primary(healthy_replica: None):
    def reads() -> dict[str, str | None]:
        with primary():
            in_block = read_alias()
        return {"session": router.db_for_read(Session), "primary()": in_block}

    found, _ = in_request(RequestFactory().get("/"), reads)
    assert found == {"session": "default", "primary()": "default"}
    assert in_request(RequestFactory().get("/"), read_alias)[0] == REPLICA


def test_one_replica_serves_a_whole_request(settings: Any, healthy_replica: None):
    settings.DATABASE_REPLICAS = [REPLICA, "replica9"]
    replicas._mark("replica9", True)  # healthy; never asked, as it does not exist
    for _ in range(5):
        found, _ = in_request(RequestFactory().get("/"), lambda: {read_alias() for _ in range(9)})
        assert len(found) == 1 and found <= {REPLICA, "replica9"}


@on_both
def test_tasks_and_commands_read_from_the_primary_even_inside_a_web_request(rows: None):
    assert isinstance(referral_qualify_sweep_task, PrimaryTask)
    with queries() as (on_primary, on_replica):
        # Run eagerly, as without a broker (.successful(): get() refuses to run under a worker).
        ran, _ = in_request(
            RequestFactory().get("/"), lambda: referral_qualify_sweep_task.apply().successful()
        )
    assert ran is True
    assert len(on_primary) > 0 and len(on_replica) == 0

    assert read_alias() == "default"  # outside a request
    QuestionFactory()
    with queries() as (on_primary, on_replica):
        call_command("synchronize_questions")
    assert len(on_primary) > 0 and len(on_replica) == 0


@on_both
def test_objects_read_from_the_replica_are_saved_on_the_primary(rows: None):
    QuestionFactory(title="Before")
    settled()

    def load() -> Question:
        return Question.objects.get()

    question, _ = in_request(RequestFactory().get("/"), load)
    assert question._state.db == REPLICA
    question.title = "After"
    question.save(update_fields=["title"])
    assert Question.objects.using("default").get().title == "After"
    assert router.allow_migrate(REPLICA, "forum") is False


# --- unhealthy replicas ----------------------------------------------------------------------


@on_both
def test_a_stopped_replica_is_skipped_and_the_page_still_answers(settings: Any, rows: None):
    settings.DATABASE_REPLICAS = [BROKEN]
    QuestionFactory(title="Still here")
    settled()
    response = Client().get("/questions/")
    assert response.status_code == 200 and "Still here" in response.content.decode()
    assert replicas._healthy[BROKEN] is False


@on_both
def test_a_replica_that_stops_during_a_request_is_answered_again_from_the_primary(
    settings: Any, monkeypatch: pytest.MonkeyPatch, rows: None
):
    settings.DATABASE_REPLICAS = [BROKEN]
    monkeypatch.setattr(replicas, "_lag", lambda alias: 0.0)  # it answered its last check
    QuestionFactory(title="Still here")
    settled()
    client = Client(raise_request_exception=False)
    response = client.get("/questions/")
    assert response.status_code == 200 and "Still here" in response.content.decode()
    assert replicas._healthy[BROKEN] is False
    assert PIN_COOKIE not in response.cookies


@on_both
def test_a_lagging_or_paused_replica_is_skipped(
    monkeypatch: pytest.MonkeyPatch, rows: None, no_page_cache: None
):
    QuestionFactory()
    for lag in (2.5, None):  # behind by more than the bound; paused behind
        replicas._next_check.clear()
        monkeypatch.setattr(replicas, "_lag", lambda alias, lag=lag: lag)
        with queries() as (on_primary, on_replica):
            assert Client().get("/questions/").status_code == 200
        assert len(on_replica) == 0 and len(on_primary) > 0, lag


def test_the_health_is_asked_once_a_second_and_a_sick_replica_every_few_seconds(
    monkeypatch: pytest.MonkeyPatch,
):
    clock = [1000.0]
    asked = []
    lags = {REPLICA: 0.5}

    def lag(alias: str) -> float:
        asked.append(clock[0])
        return lags[alias]

    fake_time = SimpleNamespace(monotonic=lambda: clock[0], time=time.time)
    monkeypatch.setattr(replicas, "time", fake_time)
    monkeypatch.setattr(replicas, "_lag", lag)
    for now, lag_now in [(1000.0, 0.5), (1000.9, 9), (1001.0, 9), (1003, 0), (1006, 0)]:
        clock[0], lags[REPLICA] = now, lag_now
        in_request(RequestFactory().get("/"), read_alias)
    assert asked == [1000.0, 1001.0, 1006]


def test_a_failed_check_never_raises(monkeypatch: pytest.MonkeyPatch):
    def refuse(alias: str) -> float:
        raise RuntimeError("no route to host")

    monkeypatch.setattr(replicas, "_lag", refuse)
    assert in_request(RequestFactory().get("/"), read_alias)[0] == "default"


@on_both
def test_the_lag_query_runs_on_the_replicas_database():
    # A mirror of the primary: on PostgreSQL the query finds no recovery, hence no lag.
    assert replicas._lag(REPLICA) == 0.0
    assert replicas.healthy(REPLICA) is True


# --- the page cache and the pin --------------------------------------------------------------


@on_both
def test_a_pinned_visitors_page_is_stored_without_the_pin_for_the_next_visitor(rows: None):
    QuestionFactory(title="Shared")
    visitor = Client()
    posted = visitor.post("/i18n/set/", {"language": "en", "next": "/"})
    assert PIN_COOKIE in posted.cookies
    with queries() as (on_primary, on_replica):
        assert "Shared" in visitor.get("/questions/").content.decode()
    assert len(on_primary) > 0 and len(on_replica) == 0
    with queries() as (on_primary, on_replica):
        served = Client().get("/questions/")
    assert len(on_primary) == len(on_replica) == 0  # from the cache
    assert "Shared" in served.content.decode() and not served.cookies


# --- shared caches and a replica behind them ------------------------------------------------


def test_a_value_whose_scope_was_just_touched_is_loaded_from_the_primary(healthy_replica: None):
    touch("demo")  # another process's write, a moment ago

    def loads() -> tuple[str | None, ...]:
        return (
            remember("touched", ("demo",), read_alias, 60),
            remember("untouched", ("other",), read_alias, 60),
        )

    found, _ = in_request(RequestFactory().get("/"), loads)
    assert found == ("default", REPLICA)
    # The value loaded from the primary is the one served under the new version.
    assert remember("touched", ("demo",), lambda: "loaded again", 60) == "default"


def test_without_replicas_a_touch_leaves_no_marker(settings: Any):
    touch("demo")
    assert cache.get(replicas.TOUCHED + "demo") == 1
    settings.DATABASE_REPLICAS = []
    touch("other")
    assert cache.get(replicas.TOUCHED + "other") is None


@on_both
def test_a_visitors_page_after_a_change_is_rendered_from_the_primary_and_shared(rows: None):
    QuestionFactory(title="The first question")
    settled()
    Client().get("/questions/")  # stored, from the replica
    QuestionFactory(title="Just asked")  # touches "questions"
    with queries() as (on_primary, on_replica):
        page = Client().get("/questions/")
    assert "Just asked" in page.content.decode()
    assert len(on_replica) == 0 and len(on_primary) > 0
    with queries() as (on_primary, on_replica):
        assert "Just asked" in Client().get("/questions/").content.decode()
    assert len(on_primary) == len(on_replica) == 0  # stored


@on_both
def test_a_page_showing_a_row_just_touched_is_not_stored_from_the_replica(rows: None):
    question = QuestionFactory(title="Listed")
    settled()
    Client().get("/questions/")  # stored, from the replica
    touch(f"question:{question.pk}")  # a vote: the list keeps its version, the row does not
    for _ in range(2):
        with queries() as (on_primary, on_replica):
            assert "Listed" in Client().get("/questions/").content.decode()
        assert len(on_replica) > 0  # rendered each time: never stored from the replica
    settled()  # the replica has caught up
    Client().get("/questions/")
    with queries() as (on_primary, on_replica):
        Client().get("/questions/")
    assert len(on_primary) == len(on_replica) == 0


# --- without replicas --------------------------------------------------------------------------


@on_both
def test_without_replicas_nothing_changes(settings: Any, rows: None):
    settings.DATABASE_REPLICAS = []
    assert replica_databases("", {}) == {}
    question = QuestionFactory()
    client = logged_in(MemberFactory())
    with queries() as (on_primary, on_replica):
        page = Client().get("/questions/")
        posted = client.post(f"/questions/{question.pk}/answer/", {"body": "An answer."})
    assert page.status_code == 200 and posted.status_code == 302
    assert len(on_replica) == 0 and not page.cookies and PIN_COOKIE not in posted.cookies
    assert router.db_for_read(Question) == router.db_for_write(Question) == "default"


def test_replica_urls_become_aliases_with_the_primarys_connection_settings():
    default = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True, "OPTIONS": {"sslmode": "require"}}
    found = replica_databases(
        " postgres://veche@10.0.0.2:5432/veche , postgres://veche@10.0.0.3/veche?sslmode=disable",
        default,
    )
    assert list(found) == ["replica1", "replica2"]
    first, second = found.values()
    assert first["HOST"] == "10.0.0.2" and second["HOST"] == "10.0.0.3"
    assert first["CONN_MAX_AGE"] == 60 and first["CONN_HEALTH_CHECKS"] is True
    assert first["OPTIONS"] == {"sslmode": "require", "connect_timeout": 2}
    assert second["OPTIONS"] == {"sslmode": "disable", "connect_timeout": 2}
    assert first["TEST"] == {"MIRROR": "default"}
