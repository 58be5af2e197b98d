"""What every browser journey shares: logging in and out through the real forms.

The browser itself (Debian's chromium driven by Playwright) and the ``page`` fixture live in
``tests/conftest.py``. Locate elements the way a person finds them (role and accessible name,
label, text); a CSS selector only where the element has neither, with a comment saying so.
"""

import contextlib

from playwright.sync_api import Browser, BrowserContext, Page, expect

from members.models import Member
from tests.factories import PASSWORD

# The contexts ``page_for`` opened during the test: closed when it ends (``close_contexts``,
# tests/conftest.py). Left open, their pages went on polling the live server (the
# notification count, every 60 s) during later tests, whose database writes then met
# SQLite's "database table is locked" (seen in CI as a random test failing at setup).
OPEN_CONTEXTS: list[BrowserContext] = []


def close_quietly(context: BrowserContext) -> None:
    """Close ``context`` without the requests its pages would send as they go: a draft save
    pending is sent as a beacon (static/js/drafts.js) and would reach the live server during
    another test."""
    for left in context.pages:
        with contextlib.suppress(Exception):
            left.evaluate("navigator.sendBeacon = () => true")
    context.close()


def close_contexts() -> None:
    while OPEN_CONTEXTS:
        close_quietly(OPEN_CONTEXTS.pop())


def log_in(page: Page, live_server, member, *, next_path: str = "/") -> None:
    """Sign ``member`` in through the log-in form and wait until ``next_path`` is shown."""
    query = "" if next_path == "/" else f"?next={next_path}"
    page.goto(f"{live_server.url}/accounts/login/{query}")
    page.get_by_label("Username or e-mail").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(live_server.url + next_path)
    # Log out sits in the account menu (a <details> whose summary is labelled with the name).
    expect(page.get_by_label(f"Account menu of {member.name}")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_label("Account menu of").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()


def page_for(
    browser: Browser, live_server, username: str | None, **context_options: object
) -> Page:
    """A page in a browser context of its own (``viewport``, ``color_scheme``…), signed in
    as the member called ``username`` (a visitor for None)."""
    context = browser.new_context(**context_options)
    OPEN_CONTEXTS.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    if username:
        log_in(page, live_server, Member.objects.get(username=username))
    return page


def submit_for_the_server(page: Page, field: str) -> None:
    """Submit the form holding the ``field`` (a CSS selector: the fields have ids, not roles
    that differ by language) past the browser's own checks, so the page comes back with the
    server's error messages."""
    with page.expect_navigation():
        page.locator(field).evaluate(
            "field => { field.form.noValidate = true; field.form.requestSubmit(); }"
        )
