"""Watching idea statuses (issue 19, point 1): the level is set beside the board's status
filter; watching tells of every idea published in the status or moved into it, once."""

import pytest
from django.test import Client
from django.urls import reverse

from ideas.models import Idea, StatusWatch
from members.models import Notification
from tests.factories import MemberFactory, logged_in
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory, vote

pytestmark = pytest.mark.django_db


def _watch(status: str) -> str:
    return reverse("ideas:status-watch", args=[status])


def _kinds(member) -> list[str]:
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def _post_idea(author, category=None, title="Export reports to spreadsheets"):
    response = logged_in(author).post(
        reverse("ideas:idea-new"),
        {
            "title": title,
            "description": "We need CSV export of the monthly report.",
            "category": (category or IdeaCategoryFactory()).slug,
        },
    )
    assert response.status_code == 302
    return Idea.objects.get(title=title)


def test_the_board_filtered_by_status_offers_the_level_to_members_only():
    member = MemberFactory()
    url = f"{reverse('ideas:idea-list')}?status=planned"
    page = logged_in(member).get(url).content.decode()
    assert f'action="{_watch("planned")}"' in page
    assert _watch("planned") not in Client().get(url).content.decode()
    assert (
        _watch("planned") not in logged_in(member).get(reverse("ideas:idea-list")).content.decode()
    )
    response = logged_in(member).post(_watch("planned"), {"level": "watching"})
    assert response.status_code == 302 and response["Location"] == url
    assert StatusWatch.objects.get(member=member).level == "watching"
    assert '<option value="watching" selected>' in logged_in(member).get(url).content.decode()
    htmx = logged_in(member).post(_watch("planned"), {"level": "normal"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "Saved." in htmx.content.decode()
    assert not StatusWatch.objects.exists()


def test_bad_input_and_visitors():
    member = MemberFactory()
    assert logged_in(member).post(_watch("planned"), {"level": "loud"}).status_code == 400
    assert logged_in(member).post(_watch("nonsense"), {"level": "watching"}).status_code == 404
    response = Client().post(_watch("planned"), {"level": "watching"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not StatusWatch.objects.exists()


def test_watching_new_tells_of_every_new_idea_but_not_its_author():
    watcher, tracker, author = MemberFactory(), MemberFactory(), MemberFactory()
    logged_in(watcher).post(_watch("new"), {"level": "watching"})
    logged_in(tracker).post(_watch("new"), {"level": "tracking"})
    logged_in(author).post(_watch("new"), {"level": "watching"})
    _post_idea(author)
    assert _kinds(watcher) == ["watched_idea"]
    assert _kinds(tracker) == [] and _kinds(author) == []


def test_a_move_into_a_watched_status_tells_watchers_once(staff_client, staff):
    idea = IdeaFactory()
    watcher, voter_watcher = MemberFactory(), MemberFactory()
    vote(idea, voter_watcher)
    for member in (watcher, voter_watcher):
        logged_in(member).post(_watch("planned"), {"level": "watching"})
    response = staff_client.post(
        reverse("ideas:idea-status", args=[idea.pk]), {"status": "planned", "note": "Soon."}
    )
    assert response.status_code == 302
    assert _kinds(watcher) == ["watched_idea"]
    # The voter is told as a voter, not twice.
    assert _kinds(voter_watcher) == ["idea_status_changed"]
    page = logged_in(watcher).get(reverse("members:notifications")).content.decode()
    assert idea.title in page and "Planned" in page


def test_an_idea_in_a_private_category_tells_only_watchers_who_may_see_it():
    member, ambassador = MemberFactory(), MemberFactory(badge="ambassador")
    for who in (member, ambassador):
        logged_in(who).post(_watch("new"), {"level": "watching"})
    lounge = IdeaCategoryFactory(slug="lounge", ambassadors_only=True)
    _post_idea(MemberFactory(badge="ambassador"), category=lounge)
    assert _kinds(member) == []
    assert _kinds(ambassador) == ["watched_idea"]


def test_a_held_idea_tells_nobody(settings):
    watcher = MemberFactory()
    logged_in(watcher).post(_watch("new"), {"level": "watching"})
    newbie = MemberFactory(trust_level=0)
    idea = _post_idea(newbie)
    assert idea.moderation_state == "held"
    assert _kinds(watcher) == []


def test_the_settings_page_lists_idea_statuses():
    member = MemberFactory()
    logged_in(member).post(_watch("shipped"), {"level": "watching"})
    page = logged_in(member).get(reverse("members:settings")).content.decode()
    assert "idea status" in page and "Shipped" in page
    assert f"{reverse('ideas:idea-list')}?status=shipped" in page
