"""The main journeys at a phone's width (390 px) and a laptop's (1280 px): no page scrolls
sideways (the flag form and the moderation inbox included), the phone header is small and its
menu button opens the menu, and the laptop header stays on one row.

The content is a small demo community (``seed_demo``: every kind of post, flags, rollups), so
the pages carry what real pages carry, plus an answer with a long unbroken link.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import page_for, submit_for_the_server

from .community import LONG_LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def assert_fits(page: Page, what: str) -> None:
    """Nothing wider than the window: the page never scrolls sideways."""
    page.wait_for_load_state()
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{what} is {scroll_width}px wide in {inner_width}px"


def visit_main_pages(browser: Browser, live_server, viewport: dict, community: dict) -> None:
    url = live_server.url
    visitor = page_for(browser, live_server, None, viewport=viewport)
    for path in [
        "/", "/questions/", community["question"], "/faq/", "/ideas/", community["idea"],
        "/search/?q=export", "/members/member/", "/members/", "/ideas/roadmap/", "/rules/",
    ]:  # fmt: skip
        visitor.goto(url + path)
        assert_fits(visitor, path)

    member = page_for(browser, live_server, "member", viewport=viewport)
    member.goto(url + community["question"])
    assert_fits(member, "the question page")
    expect(member.get_by_text("exports-and-reports-exports")).to_be_visible()
    # The flag control of an answer (the first answer's own tools, not its comments').
    answer = member.locator(".answer").filter(has_text=LONG_LINK)  # no role: an <article>
    answer.locator(".post-tools").get_by_role("link", name="Flag").click()
    expect(member.get_by_role("button", name="Send flag")).to_be_visible()
    assert_fits(member, "the flag form")
    member.goto(url + "/questions/ask/")
    submit_for_the_server(member, "#id_title")  # the page again, with its errors
    expect(member.locator(".errorlist").first).to_be_visible()
    assert_fits(member, "the ask page with errors")
    for path in ["/notifications/", "/settings/", "/ideas/new/"]:
        member.goto(url + path)
        assert_fits(member, path)

    moderator = page_for(browser, live_server, "moderator", viewport=viewport)
    moderator.goto(url + "/moderation/")
    expect(moderator.get_by_role("heading", name="Moderation inbox")).to_be_visible()
    expect(moderator.get_by_role("table")).to_be_visible()
    assert_fits(moderator, "the moderation inbox")
    moderator.goto(url + community["question"])
    assert_fits(moderator, "the question page with the moderator's tools")

    staff = page_for(browser, live_server, "admin", viewport=viewport)
    staff.goto(url + "/staff/analytics/")
    expect(staff.get_by_role("heading", level=1)).to_be_visible()
    assert_fits(staff, "the analytics dashboard")

    ambassador = page_for(browser, live_server, "ambassador", viewport=viewport)
    ambassador.goto(url + "/ambassadors/")
    assert_fits(ambassador, "the ambassador dashboard")


def test_no_main_page_scrolls_sideways_on_a_phone(browser, live_server, community):
    visit_main_pages(browser, live_server, PHONE, community)


def test_no_main_page_scrolls_sideways_on_a_laptop(browser, live_server, community):
    visit_main_pages(browser, live_server, LAPTOP, community)


def test_the_phone_header_is_small_and_its_menu_button_opens_the_menu(
    browser, live_server, community
):
    for username in [None, "admin"]:  # a visitor; a member who is staff and a moderator
        page = page_for(browser, live_server, username, viewport=PHONE)
        page.goto(live_server.url + "/")
        header = page.get_by_role("banner")
        height = header.bounding_box()["height"]
        assert height < 0.2 * PHONE["height"], f"the header is {height}px high"
        menu = page.get_by_role("navigation", name="Menu")
        expect(menu).to_be_hidden()
        header.get_by_text("Menu", exact=True).click()  # a <summary>: no role of its own
        expect(menu.get_by_role("link", name="Ideas")).to_be_visible()
        menu.get_by_role("link", name="Ideas").click()
        expect(page).to_have_url(live_server.url + "/ideas/")
        assert_fits(page, "the idea board")


def test_the_laptop_header_stays_on_one_row_with_the_account_menu(browser, live_server, community):
    page = page_for(browser, live_server, "admin", viewport=LAPTOP)
    page.goto(live_server.url + "/")
    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] < 72  # one row of links, search and account
    for name in ["Questions", "FAQ", "Ideas", "Members"]:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(header.get_by_role("searchbox")).to_be_visible()
    expect(header.get_by_role("link", name="Moderation")).to_be_visible()
    expect(header.get_by_role("link", name="Analytics")).to_be_hidden()
    page.get_by_label("Account menu of").click()
    expect(header.get_by_role("link", name="Analytics")).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
