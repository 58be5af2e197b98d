"""axe-core (from npm: package.json, ``npm ci`` by ``make test``) finds no accessibility
violation on the main pages, for a visitor, a member, a moderator, staff and an ambassador,
forms shown with their errors, in English with the light theme and in Russian with the dark
one (the contrast of both palettes is checked)."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import page_for, submit_for_the_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Every rule of axe runs, best practices (heading-order…) included.
AXE_OPTIONS = {"resultTypes": ["violations"]}


def violations(page: Page) -> list[str]:
    page.wait_for_load_state()
    page.add_script_tag(path=str(AXE))  # the context bypasses the CSP for this inline script
    found = page.evaluate(
        "async options => (await axe.run(document, options)).violations.map(v => "
        "`${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)",
        AXE_OPTIONS,
    )
    return [f"{page.url}: {line}" for line in found]


def opened_as(browser: Browser, live_server, username, language: str, scheme: str) -> Page:
    page = page_for(browser, live_server, username, color_scheme=scheme, bypass_csp=True)
    if language != "en":  # through the footer's switch, as a person would
        page.goto(live_server.url + "/")
        page.get_by_label("Language").select_option(language)
        page.get_by_role("button", name="Switch").click()
        page.wait_for_load_state()
    return page


@pytest.mark.parametrize(("language", "scheme"), [("en", "light"), ("ru", "dark")])
def test_the_main_pages_have_no_accessibility_violations(
    browser, live_server, community, language, scheme
):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: make test installs it (npm ci)")
    url = live_server.url
    found: list[str] = []

    visitor = opened_as(browser, live_server, None, language, scheme)
    for path in [
        "/", "/questions/", community["question"], "/faq/", "/ideas/", community["idea"],
        "/ideas/roadmap/", "/search/?q=export", "/members/member/", "/members/", "/rules/",
        "/ambassadors/", "/badges/", "/badges/helper/",
    ]:  # fmt: skip
        visitor.goto(url + path)
        found += violations(visitor)
    visitor.goto(url + "/accounts/login/")
    visitor.locator("#id_login").fill("nobody")
    visitor.locator("#id_password").fill("not the password")
    submit_for_the_server(visitor, "#id_login")
    found += violations(visitor)
    visitor.goto(url + "/accounts/signup/")
    submit_for_the_server(visitor, "#id_email")
    found += violations(visitor)

    member = opened_as(browser, live_server, "member", language, scheme)
    for path in [community["question"], "/notifications/", "/settings/", "/settings/picture/"]:
        member.goto(url + path)
        found += violations(member)
    for path, field in [("/questions/ask/", "#id_title"), ("/ideas/new/", "#id_title")]:
        member.goto(url + path)
        submit_for_the_server(member, field)
        found += violations(member)

    for username, path in [
        ("moderator", "/moderation/"),
        ("admin", "/staff/analytics/"),
        ("ambassador", "/ambassadors/"),
    ]:
        page = opened_as(browser, live_server, username, language, scheme)
        page.goto(url + path)
        found += violations(page)

    assert not found, "\n".join(found)
