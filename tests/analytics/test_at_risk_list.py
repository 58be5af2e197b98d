"""Members at risk by name (issue 20, point 1): who went quiet, what they used to do, their
tags, how long a member, the last letter; filters, CSV, and the query count."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.models import ReengagementLetter
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory

from .factories import at, member_joined

pytestmark = pytest.mark.django_db

LIST = reverse("analytics:at-risk")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def quiet(today):
    """Anna (a member for 400 days) asked two questions (tags billing and export) and went
    quiet 40 days ago; Boris (250 days) answered once and went quiet 200 days ago; Vera was
    seen yesterday (not at risk)."""
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    anna = member_joined(d(400), active=[d(60), d(40)], username="anna", display_name="Anna K")
    boris = member_joined(d(250), active=[d(200)], username="boris", display_name="")
    vera = member_joined(d(300), active=[d(1)], username="vera")
    billing, export = TagFactory(name="billing"), TagFactory(name="export")
    QuestionFactory(author=anna, title="Invoices in euros?", tags=[billing], created_at=at(d(70)))
    QuestionFactory(author=anna, title="CSV export is empty", tags=[billing, export])
    AnswerFactory(author=boris)
    return {"anna": anna, "boris": boris, "vera": vera}


@pytest.mark.parametrize("url", [LIST, LIST + "?format=csv", reverse("analytics:outreach-write")])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("url", [LIST, LIST + "?format=csv", reverse("analytics:outreach-write")])
def test_members_and_moderators_get_403(member_client, moderator, url):
    assert member_client.get(url).status_code == 403
    member_client.force_login(moderator)
    assert member_client.get(url).status_code == 403


def test_staff_see_who_went_quiet_by_name(staff_client, quiet, today):
    html = staff_client.get(LIST).content.decode()
    assert "Anna K" in html and "boris" in html
    # Vera has no row (her name alone could stand in a random staff name: "Jessica Rivera").
    vera = quiet["vera"]
    assert f'id="member-{vera.pk}"' not in html and "Write to vera" not in html
    assert "2 questions" in html and "Invoices in euros?" not in html  # the last one is shown
    assert "Last asked: “CSV export is empty”" in html
    assert "billing, export" in html
    assert html.index("Anna K") < html.index("boris")  # most recently quiet first
    assert 'name="member"' in html and 'id="at-risk-count"' in html


def test_the_list_shows_the_last_letter_and_who_wrote_it(staff_client, staff, quiet, today):
    ReengagementLetter.objects.create(
        member=quiet["anna"], sender=staff, sent_on=today - timedelta(days=3), back_by=today
    )
    staff.display_name = "Olga Manager"
    staff.save(update_fields=["display_name"])
    html = staff_client.get(LIST).content.decode()
    assert "Olga Manager" in html


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"q": "ann"}, "Anna K", "boris"),
        ({"did": "answers"}, "boris", "Anna K"),
        ({"did": "questions"}, "Anna K", "boris"),
        ({"tag": "export"}, "Anna K", "boris"),
        ({"silent": "180"}, "boris", "Anna K"),
        ({"member_for": "12"}, "Anna K", "boris"),
        ({"written": "never"}, "boris", "Anna K"),
    ],
)
def test_filters(staff_client, staff, quiet, today, params, shown, hidden):
    ReengagementLetter.objects.create(
        member=quiet["anna"], sender=staff, sent_on=today - timedelta(days=3), back_by=today
    )
    html = staff_client.get(LIST, params).content.decode()
    assert shown in html and hidden not in html


def test_bad_filter_values_give_the_page_not_an_error(staff_client, quiet):
    response = staff_client.get(LIST, {"silent": "forever", "did": "sing", "page": "x"})
    assert response.status_code == 200


def test_the_csv_has_every_filtered_member_with_numbers(staff_client, quiet, today):
    response = staff_client.get(LIST, {"format": "csv", "did": "questions"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["username"] == "anna" and row["name"] == "Anna K"
    assert row["silent_days"] == "40" and row["member_for_days"] == "400"
    assert row["questions"] == "2" and row["answers"] == "0"
    assert row["tags"] == "billing, export"
    assert row["last_question"] == "CSV export is empty"


def _quiet_members(n: int, today) -> None:
    for i in range(n):
        member = member_joined(today - timedelta(days=100), active=[today - timedelta(days=40 + i)])
        QuestionFactory(author=member, tags=[TagFactory()])
        ReengagementLetter.objects.create(
            member=member,
            sender=MemberFactory(is_staff=True),
            sent_on=today - timedelta(days=5),
            back_by=today,
        )


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_query_count_does_not_grow_with_rows(
    staff_client, today, n, django_assert_num_queries
):
    _quiet_members(n, today)
    staff_client.get(LIST)  # the first request of the day records the visit
    # staff member (the session comes from the cache), count, the page of members (counts,
    # last question and last letter as subqueries), their tags, the outreach letters for the
    # form
    with django_assert_num_queries(5):
        response = staff_client.get(LIST)
    assert response.content.decode().count('name="member"') == n
