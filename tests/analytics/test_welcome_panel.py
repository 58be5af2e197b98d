"""The welcome figure (issue 20, point 3): newcomers welcomed, and the share who made a first
contribution within 14 days, welcomed against not yet welcomed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.forms import DateRange
from analytics.selectors.members import welcome_panel
from tests.forum.factories import AnswerFactory, QuestionFactory

from .factories import at, member_joined

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_welcomed_and_not_welcomed_newcomers_and_their_first_contributions(today):
    joined = today - timedelta(days=20)
    old = member_joined(today - timedelta(days=60))  # joined before the period
    welcomed = [member_joined(joined) for _ in range(4)]
    not_welcomed = [member_joined(joined) for _ in range(2)]
    for member in welcomed:
        member.welcome_sent_at = at(joined + timedelta(days=1))
        member.save(update_fields=["welcome_sent_at"])
    # welcomed: one asked on day 3, one answered on day 10, one asked on day 16 (too late)
    QuestionFactory(author=welcomed[0], created_at=at(joined + timedelta(days=3)))
    AnswerFactory(
        author=welcomed[1],
        question=QuestionFactory(author=old),
        created_at=at(joined + timedelta(days=10)),
    )
    QuestionFactory(author=welcomed[2], created_at=at(joined + timedelta(days=16)))
    # not welcomed: one asked on day 2, but the question is deleted (nobody can read it)
    QuestionFactory(
        author=not_welcomed[0], created_at=at(joined + timedelta(days=2)), deleted_at=timezone.now()
    )
    panel = welcome_panel(DateRange(today - timedelta(days=29), today))
    figures = {f.label: (f.value, f.note) for f in panel.figures}
    assert figures["Newcomers welcomed"] == (4, "of 6 who joined in the period")
    assert figures["First contribution within 14 days, welcomed"][0] == "50.0%"
    assert figures["First contribution within 14 days, not yet welcomed"][0] == "0.0%"
    assert panel.tables[0].rows == [
        ["Welcomed", 4, 2, "50.0%"],
        ["Not yet welcomed", 2, 0, "0.0%"],
    ]


def test_the_dashboard_shows_the_welcome_panel_with_its_csv(staff_client, today):
    member_joined(today - timedelta(days=3))
    html = staff_client.get(reverse("analytics:dashboard")).content.decode()
    assert ">Welcome</h2>" in html and "Newcomers welcomed" in html
    response = staff_client.get(reverse("analytics:table-csv", args=["welcome"]))
    lines = response.content.decode().splitlines()
    assert lines[0] == "Newcomers,Members,Contributed within 14 days,Share (%)"
    assert lines[2] == "Not yet welcomed,1,0,0.0"
