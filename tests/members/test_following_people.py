"""Following people (issue 19, point 6): a member follows another from their profile and
reads the new questions, answers and ideas of those they follow in a feed — only what they
may see; the profile shows followers and the members someone helped."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, Question
from members.models import MemberFollow
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def _follow(follower, followed) -> None:
    response = logged_in(follower).post(reverse("members:follow", args=[followed.username]))
    assert response.status_code == 302


def test_a_member_follows_and_unfollows_someone_from_their_profile():
    reader, writer = MemberFactory(), MemberFactory(display_name="Vera Writer")
    client = logged_in(reader)
    profile = reverse("members:profile", args=[writer.username])
    page = client.get(profile).content.decode()
    assert "0 followers" in page and "Follow Vera Writer" in page
    response = client.post(reverse("members:follow", args=[writer.username]))
    assert response.status_code == 302 and response["Location"] == profile
    assert MemberFollow.objects.filter(follower=reader, followed=writer).exists()
    page = client.get(profile).content.decode()
    assert "1 follower" in page and "Unfollow" in page
    assert (
        "follows 1 member"
        in client.get(reverse("members:profile", args=[reader.username])).content.decode()
    )
    client.post(reverse("members:follow", args=[writer.username]))  # twice is once
    assert MemberFollow.objects.count() == 1
    client.post(reverse("members:unfollow", args=[writer.username]))
    assert not MemberFollow.objects.exists()


def test_nobody_follows_themselves_or_an_inactive_member():
    member = MemberFactory()
    client = logged_in(member)
    page = client.get(reverse("members:profile", args=[member.username])).content.decode()
    assert "Your feed" in page and "Unfollow" not in page
    client.post(reverse("members:follow", args=[member.username]))
    assert not MemberFollow.objects.exists()
    gone = MemberFactory(is_active=False)
    assert client.post(reverse("members:follow", args=[gone.username])).status_code == 404
    assert client.post(reverse("members:follow", args=["nobody-here"])).status_code == 404
    assert client.get(reverse("members:follow", args=[member.username])).status_code == 405


def test_visitors_see_the_counts_but_must_log_in_to_follow_or_read_a_feed():
    writer = MemberFactory()
    client = Client()
    page = client.get(reverse("members:profile", args=[writer.username])).content.decode()
    assert "0 followers" in page and "Follow " not in page
    for response in (
        client.post(reverse("members:follow", args=[writer.username])),
        client.get(reverse("members:feed")),
    ):
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not MemberFollow.objects.exists()


def test_the_feed_shows_what_followed_members_post_and_only_what_the_reader_may_see():
    reader, writer, stranger = MemberFactory(), MemberFactory(), MemberFactory()
    _follow(reader, writer)
    asked = QuestionFactory(author=writer, title="Writer asks about exports")
    answered = AnswerFactory(author=writer, question=QuestionFactory(title="Another import"))
    idea = IdeaFactory(author=writer, title="Writer proposes dark mode")
    QuestionFactory(author=stranger, title="Stranger asks")
    hidden = QuestionFactory(author=writer, title="Writer hidden post")
    Question.objects.filter(pk=hidden.pk).update(moderation_state=ModerationState.HIDDEN)
    held = QuestionFactory(author=writer, title="Writer held post")
    Question.objects.filter(pk=held.pk).update(moderation_state=ModerationState.HELD)
    private = QuestionFactory(
        author=writer,
        title="Writer ambassadors-only post",
        category=CategoryFactory(ambassadors_only=True),
    )
    deleted_answer = AnswerFactory(author=writer, question=QuestionFactory(title="Gone answer"))
    Answer.objects.filter(pk=deleted_answer.pk).update(deleted_at=timezone.now())
    html = logged_in(reader).get(reverse("members:feed")).content.decode()
    for shown in (asked.title, answered.question.title, idea.title):
        assert shown in html
    for secret in ("Stranger asks", hidden.title, held.title, private.title, "Gone answer"):
        assert secret not in html
    assert html.index(idea.title) < html.index(asked.title)  # newest first
    assert "asked" in html and "answered" in html and "proposed an idea" in html
    # An ambassador sees the ambassadors-only question too: the same rule as everywhere.
    ambassador = MemberFactory(badge="ambassador")
    _follow(ambassador, writer)
    assert private.title in logged_in(ambassador).get(reverse("members:feed")).content.decode()


def test_an_empty_feed_says_how_to_fill_it():
    html = logged_in(MemberFactory()).get(reverse("members:feed")).content.decode()
    assert "follow members from their profiles" in html


def test_the_feed_pages_back_in_time_and_refuses_a_bad_cursor():
    reader, writer = MemberFactory(), MemberFactory()
    _follow(reader, writer)
    now = timezone.now()
    for i in range(35):
        question = QuestionFactory(author=writer, title=f"Numbered question {i:02d}")
        Question.objects.filter(pk=question.pk).update(created_at=now - timedelta(minutes=i))
    client = logged_in(reader)
    first = client.get(reverse("members:feed")).content.decode()
    assert "Numbered question 00" in first and "Numbered question 29" in first
    assert "Numbered question 30" not in first and "Older posts" in first
    cursor = (now - timedelta(minutes=29)).isoformat()
    older = client.get(reverse("members:feed"), {"before": cursor}).content.decode()
    assert "Numbered question 30" in older and "Numbered question 34" in older
    assert "Numbered question 29" not in older and "Older posts" not in older
    for bad in ("yesterday", "2026-13-45T10:00:00"):
        assert client.get(reverse("members:feed"), {"before": bad}).status_code == 400


@pytest.mark.parametrize("count", [2, 20])
def test_the_feed_costs_the_same_queries_with_2_or_20_posts(count, django_assert_max_num_queries):
    reader = MemberFactory()
    writers = [MemberFactory() for _ in range(3)]
    for writer in writers:
        _follow(reader, writer)
    category = CategoryFactory()
    for i in range(count):
        QuestionFactory(author=writers[i % 3], category=category)
        IdeaFactory(author=writers[i % 3])
    client = logged_in(reader)
    client.get(reverse("members:feed"))
    # member, followed ids, questions, answers, ideas, their authors (+ a moderator check)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("members:feed")).status_code == 200


def test_the_profile_names_the_members_someone_helped():
    helper, asker, other = (
        MemberFactory(),
        MemberFactory(display_name="Grateful Asker"),
        MemberFactory(),
    )
    question = QuestionFactory(author=asker)
    answer = AnswerFactory(question=question, author=helper)
    Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    AnswerFactory(question=QuestionFactory(author=other), author=helper)  # not accepted
    html = Client().get(reverse("members:profile", args=[helper.username])).content.decode()
    assert "Helped" in html and "Grateful Asker" in html
    assert other.name not in html
    Question.objects.filter(pk=question.pk).update(moderation_state=ModerationState.HIDDEN)
    html = Client().get(reverse("members:profile", args=[helper.username])).content.decode()
    assert "Grateful Asker" not in html  # the question is not shown any more
