"""A journey in a real browser: Alice writes to Bob from his profile, Bob answers in place
(htmx), and Bob blocks Alice, after which she cannot answer."""

import pytest
from playwright.sync_api import expect

from conversations.models import Block, Message
from tests.browser import log_in, page_for, submit_for_the_server
from tests.config.test_browser_accessibility import AXE, opened_as, violations
from tests.conversations.factories import conversation_between
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_from_a_profile_answer_in_place_and_block(live_server, page, browser):
    alice = MemberFactory(username="alice", display_name="Alice Adams")
    MemberFactory(username="bob", display_name="Bob Brown")
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/members/bob/")
    page.get_by_role("link", name="Send a message").click()
    expect(page.get_by_label("To")).to_have_value("bob")
    page.get_by_label("Subject").fill("Release notes")
    page.get_by_label("Message").fill("Have you read the **new** release notes?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Release notes")).to_be_visible()
    expect(page.locator("strong", has_text="new")).to_be_visible()

    bob_page = page_for(browser, live_server, "bob")
    bob_page.get_by_label("Account menu of Bob Brown").click()
    bob_page.get_by_role("link", name="Messages").click()
    expect(bob_page.get_by_text("new", exact=True)).to_be_visible()  # the unread mark
    bob_page.get_by_role("link", name="Release notes").click()
    bob_page.get_by_label("Your answer").fill("Yes, yesterday.")
    url = bob_page.url
    bob_page.get_by_role("button", name="Send").click()
    expect(bob_page.get_by_text("Yes, yesterday.")).to_be_visible()
    expect(bob_page.get_by_label("Your answer")).to_have_value("")  # answered in place
    assert bob_page.url == url
    assert Message.objects.filter(body="Yes, yesterday.").exists()

    bob_page.goto(f"{live_server.url}/members/alice/")
    bob_page.get_by_role("link", name="Block or unblock").click()
    bob_page.get_by_role("button", name="Block").click()
    expect(bob_page.get_by_role("heading", name="You have blocked Alice Adams")).to_be_visible()
    assert Block.objects.filter(blocker__username="bob", blocked__username="alice").exists()

    page.reload()
    expect(page.get_by_text("A member of this conversation has blocked you.")).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_count(0)


@pytest.mark.parametrize(("language", "scheme"), [("en", "light"), ("ru", "dark")])
def test_the_message_pages_have_no_accessibility_violations(browser, live_server, language, scheme):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: make test installs it (npm ci)")
    alice = MemberFactory(username="alice", display_name="Alice Adams")
    bob = MemberFactory(username="bob", display_name="Bob Brown")
    conversation = conversation_between(alice, bob, subject="Release notes", body="**Hello**")
    page = opened_as(browser, live_server, "bob", language, scheme)
    url = live_server.url
    found: list[str] = []
    for path in [
        "/messages/",
        f"/messages/{conversation.pk}/",
        "/messages/settings/",
        "/messages/block/alice/",
        "/members/alice/",
    ]:
        page.goto(url + path)
        found += violations(page)
    page.goto(url + "/messages/new/")
    submit_for_the_server(page, "#id_subject")
    found += violations(page)
    assert found == []
