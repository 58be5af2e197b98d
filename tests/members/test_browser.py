import pytest
from playwright.sync_api import expect

from members.services import notification_send
from tests.browser import log_in
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_and_switches_to_russian_in_the_browser(live_server, page):
    member = MemberFactory(username="browserfan")
    log_in(page, live_server, member)
    page.get_by_label(f"Account menu of {member.name}").click()  # the profile link is in it
    expect(page.get_by_role("link", name=member.name, exact=True)).to_be_visible()
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("link", name="Вопросы", exact=True)).to_be_visible()


def test_member_opens_the_bell_reads_a_notification_and_the_count_drops(live_server, page):
    member = MemberFactory(username="bellreader")
    for title in ("First news", "Second news"):
        notification_send(
            recipients=[member], kind="system", params={"title": title}, url="/questions/"
        )
    log_in(page, live_server, member)
    bell = page.get_by_title("Notifications")
    expect(bell.get_by_label("2 unread notifications")).to_be_visible()
    bell.click()  # htmx loads the latest into the open panel
    expect(page.get_by_role("button", name="Second news")).to_be_visible()
    page.get_by_role("button", name="Second news").click()
    expect(page).to_have_url(f"{live_server.url}/questions/")
    expect(page.get_by_title("Notifications").get_by_label("1 unread notification")).to_be_visible()


def test_resting_on_an_avatar_opens_the_user_card(live_server, page):
    author = MemberFactory(display_name="Card Holder", reputation=77)
    QuestionFactory(author=author, title="Where is the card shown?")
    page.goto(live_server.url + "/questions/")
    avatar = page.get_by_role("link", name="Card Holder").first  # the avatar, before the name
    avatar.hover()  # htmx loads the card into the avatar's wrapper
    card = page.get_by_role("group", name="About Card Holder")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Reputation: 77")
