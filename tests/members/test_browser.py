import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_and_switches_to_russian_in_the_browser(live_server, page):
    member = MemberFactory(username="browserfan")
    log_in(page, live_server, member)
    page.get_by_label(f"Account menu of {member.name}").click()  # the profile link is in it
    expect(page.get_by_role("link", name=member.name, exact=True)).to_be_visible()
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("link", name="Вопросы", exact=True)).to_be_visible()
