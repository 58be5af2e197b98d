import pytest
from playwright.sync_api import expect

from ideas.models import Idea, IdeaStatusChange
from members.models import Notification
from tests.browser import log_in, log_out
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_posts_and_votes_then_staff_ships_it(live_server, page, browser):
    IdeaCategoryFactory(name="Reporting", slug="reporting")
    IdeaFactory(title="Dark mode for the dashboard")
    author = MemberFactory(username="ideafan")
    log_in(page, live_server, author)

    page.goto(live_server.url + "/ideas/new/")
    title = page.get_by_label("Title")
    title.fill("Darker theme on dashboards")
    # htmx suggests the existing idea while the title is typed.
    expect(page.get_by_role("link", name="Dark mode for the dashboard")).to_be_visible()
    title.fill("Export reports to spreadsheets")
    page.get_by_label("Description").fill("We need **CSV** export.")
    page.get_by_label("Category").select_option("reporting")
    page.get_by_role("button", name="Post idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export reports to spreadsheets")
    idea = Idea.objects.get(title="Export reports to spreadsheets")

    voter = MemberFactory(username="voter1")
    context = browser.new_context()
    other = context.new_page()
    log_in(other, live_server, voter)
    other.goto(live_server.url + idea.get_absolute_url())
    other.get_by_role("button", name="Vote", exact=True).click()
    expect(other.get_by_role("button", name="Voted", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(other.get_by_label("votes", exact=True)).to_have_text("1")
    context.close()

    staff = MemberFactory(username="boss", is_staff=True)
    log_out(page)
    log_in(page, live_server, staff)
    page.goto(live_server.url + idea.get_absolute_url())
    page.get_by_label("New status").select_option("planned")
    page.get_by_label("Note:", exact=True).fill("Coming next quarter.")
    page.get_by_role("button", name="Change status and notify").click()
    # The status history is a list under its heading (the section has no accessible name).
    expect(page.get_by_role("listitem").filter(has_text="Coming next quarter.")).to_be_visible()
    assert IdeaStatusChange.objects.get(idea=idea).to_status == "planned"
    assert Notification.objects.filter(recipient=voter, kind="idea_status_changed").exists()
