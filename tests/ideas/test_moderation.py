"""The idea board on the moderation contract: held posts, the approval callback, visibility
of held ideas per role, the flag and moderator controls next to ideas and comments."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forum.models import Comment, Idea
from moderation.models import QueueItem
from moderation.registry import CONTENT
from moderation.services import Screening
from tests.factories import MemberFactory
from tests.forum.factories_ideas import IdeaCategoryFactory, IdeaFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold_everything(monkeypatch):
    monkeypatch.setattr(
        "moderation.services.content_screen",
        lambda **kw: Screening(hold=True, reasons=["new member"]),
    )


def test_a_held_idea_waits_for_approval_then_enters_review(member_client, member, hold_everything):
    response = member_client.post(
        reverse("forum:idea-new"),
        {
            "title": "Held idea about invoices",
            "description": "Body",
            "category": IdeaCategoryFactory().slug,
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.moderation_state == "held"
    assert QueueItem.objects.get().queue == "approval"
    assert member_client.get(idea.get_absolute_url()).status_code == 200  # the author sees it
    # The moderation app approves through the registry's on_publish.
    Idea.objects.filter(pk=idea.pk).update(moderation_state="published")
    CONTENT["forum.idea"].on_publish(Idea.objects.get(pk=idea.pk))
    assert QueueItem.objects.filter(queue="new_ideas", target_id=idea.pk).exists()


def test_a_held_comment_is_not_counted_or_announced(member_client, hold_everything):
    idea = IdeaFactory()
    member_client.post(reverse("forum:idea-comment", args=[idea.pk]), {"body": "Held text"})
    comment = Comment.objects.get()
    assert comment.moderation_state == "held"
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert QueueItem.objects.get().queue == "approval"


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
        assert f'action="/moderation/flag/{ct}/{target.pk}/"' in html
    client.force_login(moderator)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert html.count('class="mod-actions"') == 2


def test_idea_is_registered_as_moderated_content():
    assert CONTENT["forum.idea"].label == "idea"
    assert CONTENT["forum.idea"].on_publish is not None


def test_wrong_slug_redirects_to_the_canonical_address(client):
    idea = IdeaFactory()
    response = client.get(reverse("forum:idea-detail", args=[idea.pk, "old-title"]))
    assert response.status_code == 301 and response["Location"] == idea.get_absolute_url()


def test_publishing_an_idea_or_a_comment_credits_the_referral_once(
    member_client, member, referrals
):
    member_client.post(
        reverse("forum:idea-new"),
        {
            "title": "Referral credit idea",
            "description": "Body",
            "category": IdeaCategoryFactory().slug,
        },
    )
    idea = Idea.objects.get()
    member_client.post(reverse("forum:idea-comment", args=[idea.pk]), {"body": "And more"})
    assert referrals == [member.pk, member.pk]


def test_approving_a_held_idea_comment_counts_and_credits_it_once(
    member_client, member, hold_everything, referrals
):
    idea = IdeaFactory()
    member_client.post(reverse("forum:idea-comment", args=[idea.pk]), {"body": "Held text"})
    comment = Comment.objects.get()
    assert referrals == []
    Comment.objects.filter(pk=comment.pk).update(moderation_state="published")
    CONTENT["forum.comment"].on_publish(Comment.objects.get(pk=comment.pk))
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    assert referrals == [member.pk]


def test_a_merge_writes_the_audit_log(staff, audit):
    from forum.services_ideas import idea_merge

    keep, dupe = IdeaFactory(), IdeaFactory()
    idea_merge(actor=staff, source=dupe, target=keep, note="Same thing")
    assert audit == [
        {
            "actor": staff,
            "action": "forum.idea_merge",
            "target": dupe,
            "member": dupe.author,
            "reason": "Same thing",
            "data": {"into": keep.pk},
        }
    ]
