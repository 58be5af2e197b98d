from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import services
from tests.factories import PASSWORD, MemberFactory

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
    page.goto(live_server.url + "/accounts/login/?next=/staff/analytics/")
    page.fill("input[name=login]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staff/analytics/")
    page.check("input[name=range][value='90d']")
    page.click("form.analytics-range button[type=submit]")
    page.wait_for_url("**/staff/analytics/?range=90d*")
    assert page.locator("#range-summary").inner_text().count("(90 days)") == 1
    chart = page.locator("#chart-active svg[role=img]")
    assert chart.is_visible()
    assert page.locator("#chart-signups svg rect").count() > 0
    assert page.locator("#heat-retention-all th[scope=row]").count() == 12
    page.locator("#chart-active details summary").click()
    assert page.locator("#chart-active details table").is_visible()
    page.locator("#panel-growth").screenshot(path="/tmp/an-growth.png")
    page.locator("#panel-activity").screenshot(path="/tmp/an-activity.png")
    page.locator("#panel-retention").screenshot(path="/tmp/an-retention.png")
