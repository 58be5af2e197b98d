from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import services
from members.models import Member

from .factories import many_members, member_joined

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics:dashboard")
CSV_URLS = [
    reverse("analytics:table-csv", args=[key])
    for key in ("signups", "activity", "retention-all", "reengagement")
]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.parametrize("url", [DASHBOARD, *CSV_URLS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url + "?range=90d")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [DASHBOARD, *CSV_URLS])
def test_members_get_403(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 403
    assert b"Only staff" in response.content


@pytest.mark.parametrize("url", [DASHBOARD, *CSV_URLS])
def test_moderators_get_403(moderator_client, url):
    assert moderator_client.get(url).status_code == 403


def test_staff_see_every_panel_with_charts_and_tables(staff_client, today):
    member_joined(today - timedelta(days=40), active=[today - timedelta(days=3)])
    services.rollups_update(today=today)
    response = staff_client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Growth", "Activity", "Retention", "Members at risk"):
        assert f">{title}</h2>" in html
    assert 'id="chart-signups"' in html and 'id="chart-active"' in html
    assert 'role="img"' in html and "<title" in html
    assert '<th scope="row">' in html and '<th scope="col">' in html
    assert 'class="heat"' in html
    assert "Showing" in html


def test_presets_set_the_period(staff_client, today):
    response = staff_client.get(DASHBOARD, {"range": "7d"})
    assert response.context["date_range"].start == today - timedelta(days=6)
    response = staff_client.get(DASHBOARD, {"range": "12m"})
    assert response.context["date_range"].start == today - timedelta(days=364)


def test_custom_dates_are_used(staff_client, today):
    start = today - timedelta(days=50)
    response = staff_client.get(
        DASHBOARD, {"range": "custom", "start": start.isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["date_range"].days == 51


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"range": "custom", "start": "2026-02-31", "end": "2026-03-01"}, "Enter a valid date"),
        (
            {"range": "custom", "start": "2026-03-02", "end": "2026-03-01"},
            "The start date must not be after the end date",
        ),
        ({"range": "custom", "start": "2026-03-02"}, "Give both a start and an end date"),
        ({"range": "custom", "start": "2000-01-01", "end": "2026-01-01"}, "at most"),
        ({"range": "custom", "start": "2026-01-01", "end": "2999-01-01"}, "in the future"),
        ({"range": "forever"}, "Select a valid choice"),
    ],
)
def test_bad_dates_give_a_clear_message(staff_client, params, message):
    response = staff_client.get(DASHBOARD, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    csv_response = staff_client.get(CSV_URLS[0], params)
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    range_=st.sampled_from(["", "7d", "custom", "x"]),
    start=st.text(max_size=12),
    end=st.text(max_size=12),
)
def test_any_input_gives_a_page_not_a_server_error(staff_client, range_, start, end):
    response = staff_client.get(DASHBOARD, {"range": range_, "start": start, "end": end})
    assert response.status_code in (200, 400)


def test_csv_export_has_the_table_rows(staff_client, today):
    member_joined(today - timedelta(days=2))
    services.rollups_update(today=today)
    response = staff_client.get(reverse("analytics:table-csv", args=["signups"]), {"range": "7d"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Day,Sign-ups"
    assert f"{today - timedelta(days=2)},1" in lines


def test_unknown_csv_table_is_404(staff_client):
    response = staff_client.get(reverse("analytics:table-csv", args=["passwords"]))
    assert response.status_code == 404


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(DASHBOARD, {"range": "90d"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _questions(count: int, today) -> None:
    """Questions with an answer each (when the forum's models are there)."""
    Question, Answer = apps.get_model("forum.Question"), apps.get_model("forum.Answer")
    Category = apps.get_model("forum.Category")
    if Question is None or Answer is None:
        return
    category, _ = Category.objects.get_or_create(slug="qc", defaults={"name": "QC"})
    author = Member.objects.filter(username__startswith="bulk").first()
    asked = timezone.now() - timedelta(days=3)
    questions = Question.objects.bulk_create(
        [
            Question(
                author=author,
                category=category,
                title=f"q{i}",
                body="b",
                created_at=asked,
                first_answered_at=asked + timedelta(hours=i % 30),
            )
            for i in range(count)
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(question=q, author=author, body="a", created_at=q.first_answered_at)
            for q in questions
        ]
    )


def test_dashboard_query_count_does_not_grow_with_members(staff_client, today):
    start = today - timedelta(days=60)
    many_members(10, joined=start, today=today)
    _questions(2, today)
    services.rollups_update(today=today)
    _dashboard_queries(staff_client)  # the first request of the day records the visit
    _dashboard_queries(staff_client)  # which touched the member's row: read again here
    few = _dashboard_queries(staff_client)

    Member.objects.filter(username__startswith="bulk").delete()
    many_members(1000, joined=start, today=today)
    _questions(200, today)
    services.rollups_rebuild(since=start, until=today)
    many = _dashboard_queries(staff_client)
    # the staff member's row and session come from the cache; growth 3 (series, sign-ups and
    # referred sign-ups, members); activity 2 (daily rows with the creators split, average
    # DAU); retention 1; support 6 (counts with the percentiles in one scan, backlog, answers,
    # weekly, feedback, the ask form's suggestions); ideas 3 (funnel, votes, time in status);
    # moderation 6 (flags, per rule, backlog, time to resolve, actions, repeat offenders);
    # referrals 5 (clicks, funnel, new ambassadors, ambassadors, top referrers); at risk 5
    # (at risk now, members written to and back, per month, per manager, per letter);
    # welcome 1; connections 1; rollup watermarks 1 = 34 on PostgreSQL. SQLite has no
    # percentile aggregate: each median or 90th percentile is a COUNT plus, when there are
    # rows, an ORDER BY/OFFSET read of two rows: 11 more for support, 1 for the backlog, 5 for
    # ideas (= 51).
    assert few == many
    assert many == (34 if connection.vendor == "postgresql" else 51)


def test_a_second_look_at_the_same_period_is_served_from_the_cache(staff_client, settings):
    settings.VECHE_ANALYTICS_CACHE_SECONDS = 300
    _dashboard_queries(staff_client)  # records the visit, fills the cache
    # the staff member's row, read again (the visit of the day touched it); the session and
    # the rendered picker, watermarks and panels come from the cache
    assert _dashboard_queries(staff_client) == 1
    staff_client.get(DASHBOARD, {"range": "7d"})
    # nothing: the member's row comes from the cache too (members.selectors.member_row)
    assert _dashboard_queries(staff_client) == 0


def test_the_picker_shows_the_period_dates_ready_to_adjust(staff_client, today):
    html = staff_client.get(DASHBOARD, {"range": "7d"}).content.decode()
    assert f'value="{today - timedelta(days=6)}"' in html
    assert 'value="7d" id="id_range_0" checked' in html
