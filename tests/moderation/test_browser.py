import pytest

from moderation import services
from moderation.content import ModerationState
from tests.factories import PASSWORD, ModeratorFactory
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
    item = services.content_held(
        target=comment, author=author, reasons=["First posts of a new member are reviewed."]
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", moderator.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.click("text=Moderation")
    page.wait_for_url(live_server.url + "/moderation/")
    row = page.locator(f"#item-{item.pk}")
    assert "My very first post" in row.inner_text()
    assert "new member" in row.inner_text()
    row.locator("button.approve").click()
    # htmx swaps the row for its outcome (without JavaScript the page reloads).
    page.locator(f"#item-{item.pk}.done").wait_for()
    assert "Approved." in page.locator(f"#item-{item.pk}").inner_text()
    page.reload()
    assert page.locator(f"#item-{item.pk}").count() == 0
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
