"""Mentions on the idea board (docs/mentions.md): in an idea's description and in comments on
ideas, linked and told once, only to members who may see the idea."""

import pytest
from django.urls import reverse

from forum.models import Comment
from forum.services.comments import comment_update
from ideas.models import Idea
from members.models import Mention
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def _mentions(member) -> int:
    return member.notifications.filter(kind="mention").count()


def test_an_idea_links_and_tells_the_member_it_mentions(member_client, member):
    hanna = MemberFactory(username="hanna")
    member_client.post(
        reverse("ideas:idea-new"),
        {
            "title": "Export reports to spreadsheets",
            "description": "As @hanna said, we need **CSV** export of the monthly report.",
            "category": IdeaCategoryFactory().slug,
        },
    )
    idea = Idea.objects.get()
    assert 'href="/members/hanna/" class="mention"' in idea.description_html
    notification = hanna.notifications.get(kind="mention")
    assert notification.url == idea.get_absolute_url() and notification.actor == member
    page = member_client.get(idea.get_absolute_url()).content.decode()
    assert 'class="mention"' in page


def test_an_idea_in_an_ambassador_only_category_tells_only_who_may_see_it(client):
    author = MemberFactory(badge="ambassador")
    regular = MemberFactory(username="regular_rae")
    fellow = MemberFactory(username="fellow_amb", badge="ambassador")
    client.force_login(author)
    client.post(
        reverse("ideas:idea-new"),
        {
            "title": "A lounge for ambassadors only",
            "description": "What do @regular_rae and @fellow_amb think of a lounge?",
            "category": IdeaCategoryFactory(ambassadors_only=True).slug,
        },
    )
    assert Idea.objects.exists()
    assert (_mentions(regular), _mentions(fellow)) == (0, 1)


def test_a_comment_on_an_idea_mentions_once_and_its_edit_tells_the_new_name(member_client, member):
    idea = IdeaFactory()
    hanna, igor = MemberFactory(username="hanna"), MemberFactory(username="igor")
    member_client.post(
        reverse("ideas:idea-comment", args=[idea.pk]), {"body": "I agree with @hanna here."}
    )
    comment = Comment.objects.get()
    assert hanna.notifications.get(kind="mention").url.endswith(f"#comment-{comment.pk}")
    comment_update(actor=member, comment=comment, body="I agree with @hanna and @igor here.")
    assert (_mentions(hanna), _mentions(igor)) == (1, 1)
    assert Mention.objects.filter(post_id=comment.pk).count() == 2


def test_an_edited_comment_on_a_hidden_idea_tells_nobody(member):
    idea = IdeaFactory(category=IdeaCategoryFactory(ambassadors_only=True))
    regular = MemberFactory(username="regular_rae")
    comment = Comment.objects.create(author=member, target=idea, body="Hello", body_html="")
    comment_update(actor=member, comment=comment, body="Hello @regular_rae, see this idea.")
    assert _mentions(regular) == 0
