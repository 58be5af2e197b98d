import pytest

from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_and_switches_to_russian_in_the_browser(live_server, page):
    member = MemberFactory(username="browserfan")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert member.name in page.content()
    page.select_option("#language-select", "ru")
    page.click(".language-switch button")
    page.wait_for_load_state()
    assert "Вопросы" in page.content()
