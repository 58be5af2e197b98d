import pytest
from django.urls import reverse

from forum.models import Comment
from ideas import services as services_ideas
from ideas.models import Idea, IdeaStatusChange, IdeaVote
from members.models import Notification
from moderation.models import QueueItem
from moderation.registry import QUEUES
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory, follow, follower_ids, vote

pytestmark = pytest.mark.django_db


def _new_idea(client_member=None):
    author = client_member or MemberFactory()
    return services_ideas.idea_create(
        actor=author,
        title="Bulk edit of contacts",
        description="Select many, edit once.",
        category=IdeaCategoryFactory(),
    )


def _review(client, idea, **data):
    return client.post(reverse("ideas:idea-review-action", args=[idea.pk]), data)


def test_new_ideas_queue_is_registered_with_the_moderation_inbox():
    queue = QUEUES["new_ideas"]
    assert queue.on_approve and queue.on_reject


def test_staff_sees_new_ideas_oldest_first(staff_client):
    first, second = _new_idea(), _new_idea()
    IdeaFactory(status=Idea.Status.PLANNED, title="Already decided")
    page = staff_client.get(reverse("ideas:idea-review")).content.decode()
    assert page.index(f"#{first.pk} ") < page.index(f"#{second.pk} ")
    assert "Already decided" not in page


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_non_staff_get_403_on_the_review_page_and_its_actions(client, member, moderator, who):
    member_client = client
    member_client.force_login(member if who == "member" else moderator)
    idea = _new_idea()
    other = IdeaFactory()
    assert member_client.get(reverse("ideas:idea-review")).status_code == 403
    for data in (
        {"action": "accept"},
        {"action": "decline", "note": "no"},
        {"action": "merge", "merge_into": other.pk},
    ):
        assert _review(member_client, idea, **data).status_code == 403
    idea.refresh_from_db()
    assert idea.status == Idea.Status.NEW and idea.merged_into is None
    assert QueueItem.objects.get(queue="new_ideas").resolved_at is None


def test_visitor_is_sent_to_log_in_from_the_review_page(client):
    response = client.get(reverse("ideas:idea-review"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_accepts_an_idea_into_review(staff_client, staff):
    idea = _new_idea()
    response = _review(staff_client, idea, action="accept", note="")
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Idea.Status.UNDER_REVIEW
    assert IdeaStatusChange.objects.get().note  # a default note explains the step
    item = QueueItem.objects.get(queue="new_ideas")
    assert item.resolved_by == staff and item.resolution == "approved"
    assert f"#{idea.pk} " not in staff_client.get(reverse("ideas:idea-review")).content.decode()


def test_declining_needs_a_note(staff_client):
    idea = _new_idea()
    _review(staff_client, idea, action="decline", note="")
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.NEW
    _review(staff_client, idea, action="decline", note="Out of scope for us.")
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED
    assert QueueItem.objects.get(queue="new_ideas").resolution == "rejected"


def test_queue_callbacks_accept_and_decline(staff):
    accepted, declined = _new_idea(), _new_idea()
    QUEUES["new_ideas"].on_approve(QueueItem.objects.get(target_id=accepted.pk), staff, "Good one")
    QUEUES["new_ideas"].on_reject(QueueItem.objects.get(target_id=declined.pk), staff, "")
    assert Idea.objects.get(pk=accepted.pk).status == Idea.Status.UNDER_REVIEW
    assert Idea.objects.get(pk=declined.pk).status == Idea.Status.DECLINED


def test_merge_moves_votes_and_followers_without_double_counting(staff_client):
    x, y, z = MemberFactory(), MemberFactory(), MemberFactory()
    a = IdeaFactory(author=x, title="Dark mode")
    b = IdeaFactory(author=z, title="Night theme")
    for idea, voters in ((a, (x, y)), (b, (y, z))):
        for voter in voters:
            vote(idea, voter)
            follow(idea, voter)
    Comment.objects.create(author=z, target=b, body="Please", body_html="<p>Please</p>")
    response = _review(staff_client, b, action="merge", merge_into=a.pk, note="Same idea")
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.vote_count == 3
    assert set(a.votes.values_list("member_id", flat=True)) == {x.pk, y.pk, z.pk}
    assert follower_ids(a) == {x.pk, y.pk, z.pk}
    assert b.merged_into == a and b.vote_count == 0 and not IdeaVote.objects.filter(idea=b)
    assert not follower_ids(b)
    assert Comment.objects.get().target_id == a.pk
    told = sorted(
        Notification.objects.filter(kind="idea_merged").values_list("recipient_id", flat=True)
    )
    assert told == sorted([y.pk, z.pk])  # B's voters and followers, once each
    response = staff_client.get(b.get_absolute_url())
    assert response.status_code in (301, 302) and response["Location"] == a.get_absolute_url()
    assert (
        "Merged into this idea: “Night theme”"
        in staff_client.get(a.get_absolute_url()).content.decode()
    )
    # The merged idea leaves the lists.
    listing = staff_client.get(reverse("ideas:idea-list")).content.decode()
    assert "Night theme" not in listing and "Dark mode" in listing


@pytest.mark.parametrize("case", ["itself", "merged", "missing"])
def test_bad_merges_are_refused_and_change_nothing(staff_client, case):
    idea = _new_idea()
    target = {"itself": idea, "merged": IdeaFactory(merged_into=IdeaFactory())}.get(case)
    response = _review(
        staff_client, idea, action="merge", merge_into=target.pk if target else 999999
    )
    assert response.status_code in (302, 404)
    idea.refresh_from_db()
    assert idea.merged_into is None


def test_merge_without_a_target_is_refused(staff_client):
    idea = _new_idea()
    _review(staff_client, idea, action="merge")
    assert Idea.objects.get(pk=idea.pk).merged_into is None


def test_staff_merges_from_the_idea_page_and_lands_on_the_survivor(staff_client):
    keep = IdeaFactory(status=Idea.Status.PLANNED)
    dupe = IdeaFactory(status=Idea.Status.PLANNED)
    assert (
        'class="inline idea-merge-form"'
        in staff_client.get(dupe.get_absolute_url()).content.decode()
    )
    response = _review(staff_client, dupe, action="merge", merge_into=keep.pk, **{"return": "idea"})
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    assert Idea.objects.get(pk=dupe.pk).merged_into_id == keep.pk
