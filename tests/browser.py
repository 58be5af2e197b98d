"""What every browser journey shares: logging in and out through the real forms.

The browser itself (Debian's chromium driven by Playwright) and the ``page`` fixture live in
``tests/conftest.py``. Locate elements the way a person finds them (role and accessible name,
label, text); a CSS selector only where the element has neither, with a comment saying so.
"""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, live_server, member, *, next_path: str = "/") -> None:
    """Sign ``member`` in through the log-in form and wait until ``next_path`` is shown."""
    query = "" if next_path == "/" else f"?next={next_path}"
    page.goto(f"{live_server.url}/accounts/login/{query}")
    page.get_by_label("Username or e-mail").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(live_server.url + next_path)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
