import pytest
from django.core import mail
from django.urls import reverse

from ideas.models import Idea, IdeaStatusChange
from members.models import Member, Notification
from members.services import outbox_deliver
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaFactory, follow, vote

pytestmark = pytest.mark.django_db


def _change(client, idea, status="planned", note="Scheduled for **Q3**."):
    return client.post(
        reverse("ideas:idea-status", args=[idea.pk]), {"status": status, "note": note}
    )


def test_staff_changes_status_with_a_note_shown_in_the_history(staff_client, staff):
    idea = IdeaFactory()
    response = _change(staff_client, idea)
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PLANNED
    change = IdeaStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.by) == ("new", "planned", staff)
    assert "<strong>Q3</strong>" in change.note_html
    page = staff_client.get(idea.get_absolute_url()).content.decode()
    assert "Status history" in page and "<strong>Q3</strong>" in page
    assert idea.status_changed_at == change.at


def test_a_status_change_notifies_every_voter_and_follower_exactly_once(
    staff_client, staff, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    voter, both, follower = MemberFactory(), MemberFactory(), MemberFactory()
    vote(idea, voter)
    vote(idea, both)
    follow(idea, both)
    follow(idea, follower)
    follow(idea, idea.author)
    follow(idea, staff)  # the acting staff member is not told about their own change
    with django_capture_on_commit_callbacks(execute=True):
        _change(staff_client, idea, "in_progress", "We started.")
    rows = list(
        Notification.objects.filter(kind="idea_status_changed").values_list(
            "recipient_id", flat=True
        )
    )
    assert sorted(rows) == sorted([voter.pk, both.pk, follower.pk, idea.author_id])
    assert Member.objects.get(pk=both.pk).unread_notifications == 1
    # The e-mails are stored first; a worker sends them (eager mode already did), or the
    # outbox sweep does when no worker runs, as here on PostgreSQL with Redis.
    outbox_deliver()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [voter.email, both.email, follower.email, idea.author.email]
    )
    assert "In progress" in mail.outbox[0].subject
    assert "We started." in mail.outbox[0].body  # the staff note travels with the e-mail


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_non_staff_get_403_and_nothing_changes(client, who, member, moderator):
    client.force_login(member if who == "member" else moderator)
    idea = IdeaFactory()
    vote(idea, MemberFactory())
    response = _change(client, idea)
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == Idea.Status.NEW
    assert not IdeaStatusChange.objects.exists() and not Notification.objects.exists()
    assert "Change status" not in client.get(idea.get_absolute_url()).content.decode()


def test_visitor_is_sent_to_log_in(client):
    idea = IdeaFactory()
    response = _change(client, idea)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.NEW


@pytest.mark.parametrize(
    "data", [{"status": "planned", "note": ""}, {"status": "bogus", "note": "x"}, {}]
)
def test_bad_status_input_is_a_400_and_nothing_changes(staff_client, data):
    idea = IdeaFactory()
    response = staff_client.post(reverse("ideas:idea-status", args=[idea.pk]), data)
    assert response.status_code == 400
    assert not IdeaStatusChange.objects.exists()


def test_setting_the_same_status_again_is_refused_with_a_message(staff_client):
    idea = IdeaFactory(status=Idea.Status.PLANNED)
    response = _change(staff_client, idea, "planned")
    assert response.status_code == 302
    assert not IdeaStatusChange.objects.exists()
    assert "already has this status" in staff_client.get(idea.get_absolute_url()).content.decode()


def test_staff_can_reopen_voting_by_moving_a_declined_idea_back(staff_client):
    idea = IdeaFactory(status=Idea.Status.DECLINED)
    _change(staff_client, idea, "under_review", "Reconsidering.")
    idea.refresh_from_db()
    assert idea.voting_open
