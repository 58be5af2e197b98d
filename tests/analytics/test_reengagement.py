from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import services
from analytics.forms import DateRange
from analytics.models import ReengagementLetter
from analytics.selectors.members import at_risk_panel
from analytics.tasks import reengagement_send_monthly_task
from members.models import ActivityDay, Member, OutboundEmail
from members.services import activity_record

from .factories import member_joined

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def crowd(today):
    """Two members at risk, one silent for exactly the period (not yet at risk), one never
    active, a staff member and a banned member who were silent long ago."""
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    return {
        "risk1": member_joined(d(200), active=[d(150), d(31)]),
        "risk2": member_joined(d(200), active=[d(100)]),
        "edge": member_joined(d(200), active=[d(30)]),
        "never": member_joined(d(200)),
        "staff": member_joined(d(200), active=[d(60)], is_staff=True),
        "banned": member_joined(d(200), active=[d(60)], banned_at=timezone.now()),
    }


def test_at_risk_count_is_previously_active_members_silent_for_30_days(crowd, today):
    assert services.members_at_risk(today).count() == 2
    panel = at_risk_panel(DateRange(today - timedelta(days=29), today))
    assert panel.figures[0].value == 2


def test_reengagement_job_twice_in_a_period_writes_once_to_each_member(crowd, today):
    assert services.reengagement_send(today=today) == 2
    assert services.reengagement_send(today=today) == 0
    reengagement_send_monthly_task.apply()
    emails = OutboundEmail.objects.filter(kind="welcome")
    assert sorted(emails.values_list("recipient__username", flat=True)) == sorted(
        [crowd["risk1"].username, crowd["risk2"].username]
    )
    assert "We have not seen you" in emails.first().body
    assert ReengagementLetter.objects.filter(email__isnull=False).count() == 2


def test_a_member_who_came_back_is_not_written_to(crowd, today):
    activity_record(member=Member.objects.get(pk=crowd["risk2"].pk), day=today)
    assert services.reengagement_send(today=today) == 1
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [crowd["risk1"].pk]


def test_next_month_writes_again_to_members_still_silent(crowd, today):
    services.reengagement_send(today=today)
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=2)
    assert services.reengagement_send(today=next_month) == 3  # "edge" is at risk by then too


def test_a_member_who_opted_out_gets_no_letter(crowd, today):
    Member.objects.filter(pk=crowd["risk1"].pk).update(email_preferences={"welcome": False})
    assert services.reengagement_send(today=today) == 1
    assert services.reengagement_send(today=today) == 0


def test_panel_counts_letters_and_members_who_came_back_within_14_days(crowd, today):
    sent = today - timedelta(days=20)
    Member.objects.filter(pk=crowd["risk1"].pk).update(last_seen=today - timedelta(days=60))
    assert services.reengagement_send(today=sent) == 2
    # risk1 came back 10 days after the letter; risk2 came back after 15 days: too late
    ActivityDay.objects.create(member=crowd["risk1"], day=sent + timedelta(days=10))
    ActivityDay.objects.create(member=crowd["risk2"], day=sent + timedelta(days=15))
    panel = at_risk_panel(DateRange(today - timedelta(days=29), today))
    values = {f.label: (f.value, f.note) for f in panel.figures}
    assert values["Re-engagement e-mails sent in the period"][0] == 2
    assert values["Came back within 14 days"] == (1, "50.0%")
    assert panel.tables[0].rows == [[sent.replace(day=1).strftime("%Y-%m"), 2, 1, "50.0%"]]
