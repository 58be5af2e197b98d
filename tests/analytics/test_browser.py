import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analytics import services
from tests.browser import log_in
from tests.factories import MemberFactory

from .factories import member_joined

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_picks_a_preset_period_and_sees_the_charts(live_server, page):
    today = timezone.localdate()
    for n in range(5):
        member_joined(
            today - timedelta(days=10 * n + 3),
            active=[today - timedelta(days=d) for d in range(0, 10 * n + 3, 4)],
        )
    services.rollups_update(today=today)
    staff = MemberFactory(username="staffer", is_staff=True)
    log_in(page, live_server, staff, next_path="/staff/analytics/")
    page.get_by_label("Last 90 days").check()
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(
        re.compile(re.escape(live_server.url) + r"/staff/analytics/\?range=90d")
    )
    # The period summary has no role or label of its own (a plain paragraph): found by its id.
    # It names the period exactly once.
    expect(page.locator("#range-summary")).to_have_text(
        re.compile(r"^(?!.*\(90 days\).*\(90 days\)).*\(90 days\)", re.S)
    )
    active = page.get_by_role("figure", name="Active members", exact=True)
    expect(active.get_by_role("img")).to_be_visible()
    # The bars of a chart are SVG shapes without roles: counted inside the chart's image.
    signups = page.get_by_role("figure", name="Sign-ups per day", exact=True)
    expect(signups.get_by_role("img").locator("rect")).not_to_have_count(0)
    retention = page.get_by_role("table", name=re.compile(r"^Retention by weekly sign-up cohort"))
    expect(retention.get_by_role("rowheader")).to_have_count(12)
    active.get_by_text("Active members: data table").click()
    expect(active.get_by_role("table")).to_be_visible()
    page.get_by_role("region", name="Growth").screenshot(path="/tmp/an-growth.png")
    page.get_by_role("region", name="Activity").screenshot(path="/tmp/an-activity.png")
    page.get_by_role("region", name="Retention").screenshot(path="/tmp/an-retention.png")
