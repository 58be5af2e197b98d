import pytest
from playwright.sync_api import expect

from moderation import services
from moderation.content import ModerationState
from tests.browser import log_in
from tests.factories import ModeratorFactory
from tests.moderation.factories import CommentFactory, new_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moderator_approves_a_held_post_from_the_inbox(live_server, page):
    moderator = ModeratorFactory(username="browsermod")
    author = new_member()
    comment = CommentFactory(
        author=author,
        body="My very first post, please approve",
        moderation_state=ModerationState.HELD,
    )
    services.content_held(
        target=comment, author=author, reasons=["First posts of a new member are reviewed."]
    )
    log_in(page, live_server, moderator)
    page.get_by_role("link", name="Moderation", exact=True).click()
    expect(page).to_have_url(live_server.url + "/moderation/")
    row = page.get_by_role("listitem").filter(has_text="My very first post")
    expect(row).to_contain_text("My very first post")
    expect(row).to_contain_text("new member")
    row.get_by_role("button", name="Approve").click()
    # htmx swaps the row for its outcome (without JavaScript the page reloads).
    expect(page.get_by_role("status").filter(has_text="Approved.")).to_have_text("Approved.")
    expect(row).to_have_count(0)
    page.reload()
    expect(row).to_have_count(0)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
