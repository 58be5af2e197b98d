import pytest

from ideas.models import Idea, IdeaStatusChange
from members.models import Notification
from tests.factories import PASSWORD, MemberFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, member):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", member.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_member_posts_and_votes_then_staff_ships_it(live_server, page, browser):
    IdeaCategoryFactory(name="Reporting", slug="reporting")
    IdeaFactory(title="Dark mode for the dashboard")
    author = MemberFactory(username="ideafan")
    _log_in(page, live_server, author)

    page.goto(live_server.url + "/ideas/new/")
    page.fill("#id_title", "Darker theme on dashboards")
    # htmx suggests the existing idea while the title is typed.
    page.wait_for_selector("#similar-ideas >> text=Dark mode for the dashboard")
    page.fill("#id_title", "Export reports to spreadsheets")
    page.fill("#id_description", "We need **CSV** export.")
    page.select_option("#id_category", "reporting")
    page.click("form.idea-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Export reports to spreadsheets')")
    idea = Idea.objects.get(title="Export reports to spreadsheets")

    voter = MemberFactory(username="voter1")
    context = browser.new_context()
    other = context.new_page()
    _log_in(other, live_server, voter)
    other.goto(live_server.url + idea.get_absolute_url())
    other.click(".idea-head .vote-box button")
    other.wait_for_selector(".idea-head .vote-box button[aria-pressed=true]")
    assert other.inner_text(".idea-head .idea-vote-count") == "1"
    context.close()

    staff = MemberFactory(username="boss", is_staff=True)
    page.click("form[action='/accounts/logout/'] button")
    _log_in(page, live_server, staff)
    page.goto(live_server.url + idea.get_absolute_url())
    page.select_option("#id_status", "planned")
    page.fill("#id_note", "Coming next quarter.")
    page.click(".idea-status-form button[type=submit]")
    page.wait_for_selector(".idea-history >> text=Coming next quarter.")
    assert IdeaStatusChange.objects.get(idea=idea).to_status == "planned"
    assert Notification.objects.filter(recipient=voter, kind="idea_status_changed").exists()
