"""Browser contexts do not outlive their test: a page left open polls the live server (the
notification count, every 60 s) during later tests, whose database writes then fail with
SQLite's "database table is locked" (a CI run failed a migration test that way)."""

from tests.browser import OPEN_CONTEXTS, close_contexts, page_for


def test_the_contexts_page_for_opens_are_closed_with_the_test(browser, live_server):
    before = len(browser.contexts)
    page_for(browser, live_server, None)
    page_for(browser, live_server, None, viewport={"width": 390, "height": 844})
    assert len(browser.contexts) == before + 2 and len(OPEN_CONTEXTS) == 2
    close_contexts()  # what the autouse fixture in tests/conftest.py does after each test
    assert len(browser.contexts) == before and OPEN_CONTEXTS == []
