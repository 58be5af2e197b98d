"""The header's notification menu: the bell opens the latest notifications (htmx, with the
notifications page as the no-JavaScript way), the unread count is polled, and marking all read
from the menu brings the member back where they were."""

import re

import pytest
from django.urls import reverse

from members.models import ActivityDay, Member, Notification
from members.services import notification_send
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _notify(member: Member, count: int, actor: Member | None = None) -> None:
    for i in range(count):
        notification_send(
            recipients=[member],
            kind="system",
            actor=actor,
            params={"title": f"Note {i}"},
            url=f"/members/?note={i}",
        )


def test_the_bell_shows_the_unread_count_and_a_menu_that_works_without_javascript(client):
    member = MemberFactory()
    _notify(member, 3)
    client.force_login(member)
    page = client.get(reverse("forum:question-list")).content.decode()
    assert 'class="dropdown notif-menu"' in page
    assert '<span class="count" aria-label="3 unread notifications">3</span>' in page
    # Without JavaScript the panel still leads to every notification and can mark them read.
    panel = page[page.index('class="dropdown-panel notif-panel"') :]
    assert reverse("members:notifications") in panel[:2000]
    assert "Mark all as read" in panel[:2000]
    assert f'hx-get="{reverse("members:notification-menu")}"' in page


def test_no_count_and_no_mark_all_when_everything_is_read(client):
    member = MemberFactory()
    client.force_login(member)
    page = client.get(reverse("forum:question-list")).content.decode()
    assert 'class="count"' not in page[page.index("notif-menu") : page.index("user-menu")]
    assert "Mark all as read" not in page


def test_the_menu_lists_the_latest_eight_of_the_members_own_notifications(client):
    member, other = MemberFactory(), MemberFactory()
    _notify(member, 10)
    notification_send(recipients=[other], kind="system", params={"title": "Not yours"})
    client.force_login(member)
    body = client.get(reverse("members:notification-menu"), HTTP_HX_REQUEST="true")
    html = body.content.decode()
    assert body.status_code == 200
    assert "<html" not in html  # a fragment for the panel
    shown = sorted(int(n) for n in re.findall(r"Note (\d+)\b", html))
    assert shown == list(range(2, 10))
    assert "Not yours" not in html
    # Each one opens what it is about and is marked read on the way.
    assert html.count(f'action="{reverse("members:notifications-read")}"') == 8


def test_an_empty_menu_says_so(client):
    client.force_login(MemberFactory())
    html = client.get(reverse("members:notification-menu")).content.decode()
    assert "No notifications yet." in html


@pytest.mark.parametrize("count", [2, 20])
def test_the_menu_costs_the_same_queries_with_2_or_20_notifications(
    client, count, django_assert_max_num_queries
):
    member, actor = MemberFactory(), MemberFactory()
    _notify(member, count, actor=actor)
    client.force_login(member)
    client.get(reverse("members:notification-menu"))
    with django_assert_max_num_queries(3):  # the member, their notifications with actors
        client.get(reverse("members:notification-menu"))


def test_the_bell_adds_no_query_to_a_page(client, django_assert_max_num_queries):
    """The count is a column of the member's row, read with the member."""
    member = MemberFactory()
    client.force_login(member)
    client.get(reverse("members:settings"))
    # The page's own queries, and its "Watching" section: one per app's levels (forum, ideas).
    with django_assert_max_num_queries(4) as captured:
        client.get(reverse("members:settings"))
    assert not any("members_notification" in q["sql"] for q in captured.captured_queries)


def test_the_polled_count_moves_and_is_not_a_visit(client):
    member = MemberFactory()
    client.force_login(member)
    ActivityDay.objects.filter(member=member).delete()
    first = client.get(reverse("members:notification-count"))
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert 'class="count"' not in first.content.decode()
    _notify(member, 2)
    html = client.get(reverse("members:notification-count")).content.decode()
    assert '<span class="count" aria-label="2 unread notifications">2</span>' in html
    assert 'hx-trigger="every 60s"' in html  # the swapped count keeps polling
    assert not ActivityDay.objects.filter(member=member).exists()


def test_mark_all_read_from_the_menu_returns_to_the_page(client):
    member = MemberFactory()
    _notify(member, 2)
    client.force_login(member)
    here = reverse("forum:question-list") + "?sort=votes"
    response = client.post(reverse("members:notifications-read"), {"next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert Member.objects.get(pk=member.pk).unread_notifications == 0
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


@pytest.mark.parametrize("name", ["members:notification-menu", "members:notification-count"])
def test_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["members:notification-menu", "members:notification-count"])
def test_the_menu_and_count_refuse_writes(client, name):
    client.force_login(MemberFactory())
    assert client.post(reverse(name)).status_code == 405
