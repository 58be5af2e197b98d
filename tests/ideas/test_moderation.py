"""The idea board on the moderation contract: held posts, the approval callback, visibility
of held ideas per role, the flag and moderator controls next to ideas and comments.

Held posts are held by the real screening (their authors are new members) and approved by
the real moderation service; credits and audit entries are checked on the stored rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ambassadors.models import Referral, ReferrerStats
from forum.models import Comment
from ideas.models import Idea
from ideas.services import idea_merge
from members.models import Notification
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, QueueItem
from moderation.registry import CONTENT
from moderation.services import queue_item_approve
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory, follow
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db


def _post_idea(client, title: str = "Held idea about invoices"):
    return client.post(
        reverse("ideas:idea-new"),
        {"title": title, "description": "Body", "category": IdeaCategoryFactory().slug},
    )


def _approve_held(target, moderator) -> None:
    item = QueueItem.objects.get(
        queue="approval",
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    )
    queue_item_approve(actor=moderator, item=item)


def test_a_held_idea_waits_for_approval_then_enters_review(
    new_member_client, new_member, moderator
):
    response = _post_idea(new_member_client)
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.moderation_state == ModerationState.HELD
    assert QueueItem.objects.get().queue == "approval"
    assert not QueueItem.objects.filter(queue="new_ideas").exists()
    assert new_member_client.get(idea.get_absolute_url()).status_code == 200  # the author
    _approve_held(idea, moderator)
    idea.refresh_from_db()
    assert idea.moderation_state == ModerationState.PUBLISHED
    review = QueueItem.objects.get(queue="new_ideas")
    assert review.target == idea and review.resolved_at is None
    approval = AuditLogEntry.objects.get(action="approve")
    assert approval.target == idea and approval.actor == moderator


def test_a_held_comment_is_not_counted_or_announced(new_member_client):
    idea = IdeaFactory()
    follow(idea, idea.author)
    new_member_client.post(reverse("ideas:idea-comment", args=[idea.pk]), {"body": "Held text"})
    comment = Comment.objects.get()
    assert comment.moderation_state == ModerationState.HELD
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert QueueItem.objects.get().queue == "approval"
    assert not Notification.objects.filter(kind="idea_comment").exists()


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 404), ("member", 404), ("author", 200), ("moderator", 200), ("staff", 200)],
)
def test_held_idea_visibility_per_role(client, role, status, moderator, staff):
    author = MemberFactory()
    idea = IdeaFactory(author=author, moderation_state="held")
    viewer = {
        "member": MemberFactory(),
        "author": author,
        "moderator": moderator,
        "staff": staff,
    }.get(role)
    if viewer:
        client.force_login(viewer)
    assert client.get(idea.get_absolute_url()).status_code == status


def test_idea_page_includes_moderation_controls_for_idea_and_comments(client, moderator):
    current_rule(1)  # members flag against a rule
    idea = IdeaFactory()
    comment = Comment.objects.create(
        author=MemberFactory(), target=idea, body="c", body_html="<p>c</p>"
    )
    assert "flag-control" not in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(MemberFactory())
    html = client.get(idea.get_absolute_url()).content.decode()
    assert html.count('class="flag-control"') == 2 and "mod-actions" not in html
    for target in (idea, comment):
        ct = ContentType.objects.get_for_model(target).pk
        assert f'href="/moderation/flag/{ct}/{target.pk}/?next=' in html
    client.force_login(moderator)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert html.count('class="mod-actions"') == 2


def test_idea_is_registered_as_moderated_content_and_hooks_onto_comments():
    assert CONTENT["ideas.idea"].label == "idea"
    assert CONTENT["ideas.idea"].on_publish is not None
    # Comments stay the forum's; the ideas app only adds its own callback after the forum's.
    comments = CONTENT["forum.comment"]
    assert comments.on_publish.__module__ == "forum.services.comments"
    assert [c.__module__ for c in comments.extra_on_publish] == ["ideas.services"]


def test_wrong_slug_redirects_to_the_canonical_address(client):
    idea = IdeaFactory()
    response = client.get(reverse("ideas:idea-detail", args=[idea.pk, "old-title"]))
    assert response.status_code == 301 and response["Location"] == idea.get_absolute_url()


def test_publishing_an_idea_qualifies_the_authors_referral(member_client, member, referral_of):
    referral = referral_of(member)
    _post_idea(member_client, "Referral credit idea")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert referral.first_contribution_at is not None
    assert ReferrerStats.objects.get(member=referral.referrer).qualified == 1


def test_a_comment_on_an_idea_qualifies_the_referral_once(member_client, member, referral_of):
    referral = referral_of(member)
    idea = IdeaFactory()
    member_client.post(reverse("ideas:idea-comment", args=[idea.pk]), {"body": "And more"})
    member_client.post(reverse("ideas:idea-comment", args=[idea.pk]), {"body": "And again"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert ReferrerStats.objects.get(member=referral.referrer).qualified == 1
    assert (
        Notification.objects.filter(recipient=referral.referrer, kind="referral_qualified").count()
        == 1
    )


def test_approving_a_held_idea_comment_counts_announces_and_credits_it_once(
    new_member_client, new_member, moderator, referral_of
):
    referral = referral_of(new_member)
    idea = IdeaFactory()
    follow(idea, idea.author)
    new_member_client.post(reverse("ideas:idea-comment", args=[idea.pk]), {"body": "Held text"})
    comment = Comment.objects.get()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING and referral.first_contribution_at is None
    _approve_held(comment, moderator)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert Idea.objects.get(pk=idea.pk).comment_count == 1  # counted once, not per callback
    told = Notification.objects.filter(kind="idea_comment")
    assert list(told.values_list("recipient_id", flat=True)) == [idea.author_id]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert ReferrerStats.objects.get(member=referral.referrer).qualified == 1


def test_a_merge_writes_the_audit_log(staff):
    keep, dupe = IdeaFactory(), IdeaFactory()
    idea_merge(actor=staff, source=dupe, target=keep, note="Same thing")
    entry = AuditLogEntry.objects.get()
    assert entry.actor == staff and entry.action == "forum.idea_merge"
    assert entry.target == dupe and entry.target_type == ContentType.objects.get_for_model(Idea)
    assert entry.member == dupe.author and entry.reason == "Same thing"
    assert entry.data == {"into": keep.pk} and entry.target_repr
