"""Shared fixtures. App-specific factories live in ``tests/<app>/factories.py``."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# Speed is measured in bench/, never asserted in tests: no per-example deadline (a loaded CI
# machine made a 404 page exceed Hypothesis' default 200 ms).
hypothesis_settings.register_profile("veche", deadline=None)
hypothesis_settings.load_profile("veche")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests

ROOT = Path(__file__).resolve().parent.parent


def _on_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """On SQLite the PostgreSQL- and worker-only tests are deselected (they run in
    ``make test-pg``). With ``VECHE_REQUIRE_SERVICES=1`` nothing is deselected, and a missing
    service fails the run instead of skipping."""
    if os.environ.get("VECHE_REQUIRE_SERVICES") == "1":
        if not _on_postgres():
            raise pytest.UsageError("VECHE_REQUIRE_SERVICES=1 but DATABASE_URL is not PostgreSQL")
        if not os.environ.get("REDIS_URL"):
            raise pytest.UsageError("VECHE_REQUIRE_SERVICES=1 but REDIS_URL is unset")
        return
    if _on_postgres() and os.environ.get("REDIS_URL"):
        return
    keep, drop = [], []
    for item in items:
        needs_pg = item.get_closest_marker("postgres") and not _on_postgres()
        needs_redis = (
            item.get_closest_marker("celery_worker") or item.get_closest_marker("redis")
        ) and not os.environ.get("REDIS_URL")
        (drop if needs_pg or needs_redis else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True, scope="session")
def _compiled_reads_checked():
    """Every compiled read (config.db.CompiledRead) is also compiled afresh at each run of the
    suite's and compared: a read whose SQL depends on more than its values fails here."""
    from config.db import CompiledRead  # lazy: the models load once Django is set up

    CompiledRead.checking = True
    yield
    CompiledRead.checking = False


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request of a member who reads in Russian
    leaves Russian active in the thread (MemberLanguageMiddleware activates it, as Django's
    LocaleMiddleware does), and a later test of the same worker would inherit it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_cache_and_mail(settings, tmp_path_factory):
    """Each test gets an empty local cache (rate limits, cached settings) even when the
    suite runs with Redis, so parallel test workers never see each other's keys, and a
    closed dispatch breaker and an empty sent ledger."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{os.getpid()}",
            # Redis keeps every key; the local cache's default of 300 entries culled sessions
            # and privilege caches in tests that sign a hundred members in.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.VECHE_STAFF_MFA_REQUIRED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    from config import jobs
    from members.services_outbox import LEDGER

    # Each test's e-mail journals (config.delivery.Journal) in a directory of its own.
    settings.VECHE_OUTBOX_JOURNAL_DIR = str(tmp_path_factory.mktemp("journal"))
    cache.clear()
    # Per-process state of the delivery machinery: one test's broker outage (the dispatch
    # circuit breaker) or unrecorded send (the ledger) is not the next test's.
    jobs._paused_until = 0.0
    LEDGER.unrecorded.clear()
    yield
    cache.clear()
    jobs._paused_until = 0.0
    LEDGER.unrecorded.clear()


@pytest.fixture
def member(db):
    from tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def other_member(db):
    from tests.factories import MemberFactory

    return MemberFactory()


@pytest.fixture
def staff(db):
    from tests.factories import MemberFactory

    return MemberFactory(is_staff=True, trust_level=3)


@pytest.fixture
def redis_cache(settings):
    """The production cache for this test: the Redis of ``REDIS_URL``, under a prefix of its
    own (for tests marked ``redis``, which run in ``make test-pg``). Yields the prefix. At the
    end only this prefix's keys go: ``cache.clear()`` would empty the whole Redis database,
    other test workers' keys and the Celery queues included."""
    import uuid

    import redis

    prefix = f"veche-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{os.getpid()}",
            # Redis keeps every key; the local cache's default of 300 entries culled sessions
            # and privilege caches in tests that sign a hundred members in.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }


@pytest.fixture
def no_page_cache(settings):
    """Anonymous pages rendered by their views every time (to pin what a render costs)."""
    settings.VECHE_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def moderator(db):
    from tests.factories import ModeratorFactory

    return ModeratorFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture(scope="session")
def celery_worker_process():
    """A real Celery worker on the Redis broker, for tests marked ``celery_worker``."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.fail("REDIS_URL must point to Redis for worker tests")
    queue = f"veche-test-{os.getpid()}"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"}
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            pytest.fail(f"Celery worker exited early:\n{out}")
        replies = app.control.ping(timeout=1.0)
        if replies:
            break
    else:
        proc.kill()
        pytest.fail("Celery worker did not come up within 60 s")
    yield queue
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Browser tests need /usr/bin/chromium (make browser installs it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_page_for_contexts(request):
    """The browser contexts a test opened with ``tests.browser.page_for`` are closed when it
    ends: open, their pages would poll the live server during later tests."""
    yield
    if "browser" in request.fixturenames:
        from tests.browser import close_contexts

        close_contexts()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    # Two cores shared by parallel workers: give actions and expect() the same patience.
    expect.set_options(timeout=15000)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    from tests.browser import close_quietly

    close_quietly(context)
