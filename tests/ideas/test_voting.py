import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.urls import reverse

from ideas import services
from ideas.models import Idea, IdeaVote
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaFactory, follower_ids, vote

pytestmark = pytest.mark.django_db


def test_member_votes_and_follows_the_idea(member_client, member):
    idea = IdeaFactory()
    response = member_client.post(reverse("ideas:idea-vote", args=[idea.pk]))
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert IdeaVote.objects.filter(idea=idea, member=member).exists()
    assert member.pk in follower_ids(idea)  # voters follow automatically
    page = member_client.get(idea.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page


def test_voting_twice_counts_once(member_client):
    idea = IdeaFactory()
    member_client.post(reverse("ideas:idea-vote", args=[idea.pk]))
    member_client.post(reverse("ideas:idea-vote", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.vote_count == 1 and idea.votes.count() == 1


def test_member_withdraws_a_vote(member_client, member):
    idea = IdeaFactory()
    vote(idea, member)
    response = member_client.post(reverse("ideas:idea-unvote", args=[idea.pk]))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.vote_count == 0 and not idea.votes.exists()
    # Withdrawing again changes nothing and never goes below zero.
    member_client.post(reverse("ideas:idea-unvote", args=[idea.pk]))
    idea.refresh_from_db()
    assert idea.vote_count == 0


def test_htmx_vote_returns_the_vote_box_only(member_client):
    idea = IdeaFactory()
    response = member_client.post(
        reverse("ideas:idea-vote", args=[idea.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="vote-box idea-vote"')
    assert 'aria-pressed="true"' in body and ">1<" in body


def test_vote_redirects_back_to_a_safe_next_only(member_client):
    idea = IdeaFactory()
    response = member_client.post(
        reverse("ideas:idea-vote", args=[idea.pk]), {"next": "/ideas/?sort=newest"}
    )
    assert response["Location"] == "/ideas/?sort=newest"
    response = member_client.post(
        reverse("ideas:idea-unvote", args=[idea.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == idea.get_absolute_url()


def test_visitor_is_sent_to_log_in_and_no_vote_is_stored(client):
    idea = IdeaFactory()
    response = client.post(reverse("ideas:idea-vote", args=[idea.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not IdeaVote.objects.exists()


def test_voting_page_get_is_not_allowed(member_client):
    idea = IdeaFactory()
    assert member_client.get(reverse("ideas:idea-vote", args=[idea.pk])).status_code == 405


@pytest.mark.parametrize("status", [Idea.Status.SHIPPED, Idea.Status.DECLINED])
def test_voting_is_closed_on_shipped_and_declined_ideas(member_client, member, status):
    idea = IdeaFactory(status=status)
    other = IdeaFactory(status=status)
    vote(other, member)
    assert member_client.post(reverse("ideas:idea-vote", args=[idea.pk])).status_code == 403
    assert member_client.post(reverse("ideas:idea-unvote", args=[other.pk])).status_code == 403
    idea.refresh_from_db()
    other.refresh_from_db()
    assert idea.vote_count == 0 and other.vote_count == 1
    assert "Voting closed" in member_client.get(idea.get_absolute_url()).content.decode()


def test_unknown_idea_is_a_404_page(member_client):
    response = member_client.post(reverse("ideas:idea-vote", args=[999999]))
    assert response.status_code == 404


def test_member_follows_and_unfollows(member_client, member):
    idea = IdeaFactory()
    member_client.post(reverse("ideas:idea-follow", args=[idea.pk]))
    assert member.pk in follower_ids(idea)
    member_client.post(reverse("ideas:idea-unfollow", args=[idea.pk]))
    assert member.pk not in follower_ids(idea)


def test_synchronize_repairs_a_drifted_counter(member):
    idea = IdeaFactory()
    vote(idea, member)
    Idea.objects.filter(pk=idea.pk).update(vote_count=42)
    services.idea_synchronize(idea)
    idea.refresh_from_db()
    assert idea.vote_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_are_counted_exactly_on_postgres():
    idea = IdeaFactory()
    members = [MemberFactory() for _ in range(12)]
    # Two requests from the first member race as well: only one may count.
    voters = members + [members[0]]
    barrier = threading.Barrier(len(voters))
    errors = []

    def cast(member):
        try:
            barrier.wait()
            services.idea_vote_cast(actor=member, idea=Idea.objects.get(pk=idea.pk))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=cast, args=(m,)) for m in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    idea.refresh_from_db()
    assert idea.vote_count == 12 == idea.votes.count()


def test_synchronize_ideas_command_fixes_counters(member):
    idea = IdeaFactory()
    vote(idea, member)
    Idea.objects.filter(pk=idea.pk).update(vote_count=9)
    call_command("synchronize_ideas")
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_a_vote_read_before_a_merge_is_rolled_back(member, staff):
    survivor, duplicate = IdeaFactory(), IdeaFactory()
    stale = Idea.objects.get(pk=duplicate.pk)  # read before the merge commits
    services.idea_merge(actor=staff, source=duplicate, target=survivor)
    with pytest.raises(PermissionDenied):
        services.idea_vote_cast(actor=member, idea=stale)
    assert not IdeaVote.objects.filter(member=member).exists()
    assert Idea.objects.get(pk=duplicate.pk).vote_count == 0
