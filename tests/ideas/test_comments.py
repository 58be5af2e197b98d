import pytest
from django.urls import reverse

from forum.models import Comment
from ideas.models import Idea
from members.models import Notification
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaFactory, follow, follower_ids

pytestmark = pytest.mark.django_db


def test_member_comments_and_followers_are_told(member_client, member):
    idea = IdeaFactory()
    fan = MemberFactory()
    follow(idea, fan)
    follow(idea, idea.author)
    response = member_client.post(
        reverse("ideas:idea-comment", args=[idea.pk]), {"body": "Yes, *please*!"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.target == idea and comment.author == member
    assert "<em>please</em>" in comment.body_html
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert member.pk in follower_ids(idea)
    told = set(
        Notification.objects.filter(kind="idea_comment").values_list("recipient_id", flat=True)
    )
    assert told == {fan.pk, idea.author_id}  # not the commenter
    page = member_client.get(idea.get_absolute_url()).content.decode()
    assert "<em>please</em>" in page


def test_visitor_cannot_comment(client):
    idea = IdeaFactory()
    response = client.post(reverse("ideas:idea-comment", args=[idea.pk]), {"body": "hello"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_empty_comment_is_refused_with_a_message(member_client):
    idea = IdeaFactory()
    response = member_client.post(reverse("ideas:idea-comment", args=[idea.pk]), {"body": ""})
    assert response.status_code == 302
    assert not Comment.objects.exists()
    page = member_client.get(idea.get_absolute_url()).content.decode()
    assert "could not be posted" in page


def test_comment_markup_is_sanitized(member_client):
    idea = IdeaFactory()
    member_client.post(
        reverse("ideas:idea-comment", args=[idea.pk]),
        {"body": "<script>alert(1)</script> [x](javascript:alert(1))"},
    )
    html = Comment.objects.get().body_html
    assert "<script" not in html and 'href="javascript' not in html


def test_merged_idea_takes_no_comments(member_client):
    target = IdeaFactory()
    idea = IdeaFactory(merged_into=target)
    assert (
        member_client.post(
            reverse("ideas:idea-comment", args=[idea.pk]), {"body": "late"}
        ).status_code
        == 403
    )
    assert not Comment.objects.filter(target_id=idea.pk).exists()
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
