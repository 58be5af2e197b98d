"""Questions and ideas are one world: a question becomes an idea, questions link to ideas,
and shipping an idea tells the askers too."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forum.models import Follow, Question
from ideas.models import Idea, IdeaQuestionLink
from members.models import Notification
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory
from tests.ideas.factories import IdeaFactory, follow, follower_ids, vote

pytestmark = pytest.mark.django_db


def _follow_question(question, member):
    Follow.objects.get_or_create(
        member=member,
        target_id=question.pk,
        target_type=ContentType.objects.get_for_model(Question),
    )


def _turn(client, question):
    return client.post(reverse("ideas:idea-from-question", args=[question.pk]))


@pytest.mark.parametrize("who", ["asker", "staff"])
def test_asker_or_staff_turns_a_question_into_an_idea(client, staff, who):
    question = QuestionFactory(
        title="Can reports be exported to Excel?", body="I need **xlsx** files."
    )
    fan = MemberFactory()
    _follow_question(question, fan)
    _follow_question(question, question.author)
    client.force_login(question.author if who == "asker" else staff)
    response = _turn(client, question)
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert idea.title == question.title and idea.author == question.author
    assert idea.category_id == question.category_id and "<strong>xlsx</strong>" in (
        idea.description_html
    )
    assert set(idea.votes.values_list("member_id", flat=True)) == {question.author_id, fan.pk}
    assert idea.vote_count == 2
    assert follower_ids(idea) == {question.author_id, fan.pk}
    assert IdeaQuestionLink.objects.get(idea=idea).question == question
    page = client.get(idea.get_absolute_url()).content.decode()
    assert question.title in page and question.get_absolute_url() in page


def test_a_question_becomes_an_idea_only_once(client):
    question = QuestionFactory()
    client.force_login(question.author)
    _turn(client, question)
    response = _turn(client, question)
    assert response.status_code == 302
    assert Idea.objects.count() == 1


def test_another_member_gets_403_and_nothing_is_stored(member_client):
    question = QuestionFactory()
    assert _turn(member_client, question).status_code == 403
    assert not Idea.objects.exists()


def test_visitor_is_sent_to_log_in(client):
    response = _turn(client, QuestionFactory())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_question_is_404(member_client):
    assert member_client.post(reverse("ideas:idea-from-question", args=[99999])).status_code == 404


def test_question_page_offers_the_conversion_to_the_asker_only(client, member):
    question = QuestionFactory()
    client.force_login(member)
    assert "Turn into an idea" not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(question.author)
    assert "Turn into an idea" in client.get(question.get_absolute_url()).content.decode()


def test_staff_and_askers_link_questions_but_others_cannot(client, staff, member):
    idea = IdeaFactory()
    question = QuestionFactory()
    client.force_login(member)
    url = reverse("ideas:idea-link-question", args=[idea.pk])
    assert client.post(url, {"question": question.pk}).status_code == 403
    assert not IdeaQuestionLink.objects.exists()
    client.force_login(question.author)
    assert client.post(url, {"question": question.pk}).status_code == 302
    client.force_login(staff)
    other = QuestionFactory()
    client.post(url, {"question": other.pk})
    client.post(url, {"question": other.pk})  # linking twice keeps one link
    assert IdeaQuestionLink.objects.filter(idea=idea).count() == 2
    assert client.post(url, {"question": "x"}).status_code == 400
    assert client.post(url, {"question": 99999}).status_code == 404


def test_shipping_tells_voters_followers_and_askers_of_linked_questions_each_once(
    staff_client, staff, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(status=Idea.Status.IN_PROGRESS)
    voter, follower = MemberFactory(), MemberFactory()
    asker_one, asker_two = MemberFactory(), MemberFactory()
    vote(idea, voter)
    follow(idea, voter)
    follow(idea, follower)
    vote(idea, asker_one)  # an asker who also voted is told once
    for asker in (asker_one, asker_two):
        IdeaQuestionLink.objects.create(
            idea=idea, question=QuestionFactory(author=asker), linked_by=staff
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("ideas:idea-status", args=[idea.pk]),
            {"status": "shipped", "note": "Live for everyone."},
        )
    assert response.status_code == 302
    told = sorted(
        Notification.objects.filter(kind="idea_shipped").values_list("recipient_id", flat=True)
    )
    assert told == sorted([voter.pk, follower.pk, asker_one.pk, asker_two.pk])


def test_askers_are_not_told_of_steps_before_shipping(staff_client):
    idea = IdeaFactory()
    asker = MemberFactory()
    IdeaQuestionLink.objects.create(idea=idea, question=QuestionFactory(author=asker))
    staff_client.post(
        reverse("ideas:idea-status", args=[idea.pk]), {"status": "planned", "note": "Soon."}
    )
    assert not Notification.objects.filter(recipient=asker).exists()


def test_merging_moves_linked_questions(staff_client):
    keep, dupe = IdeaFactory(), IdeaFactory()
    q1, q2 = QuestionFactory(), QuestionFactory()
    IdeaQuestionLink.objects.create(idea=keep, question=q1)
    IdeaQuestionLink.objects.create(idea=dupe, question=q1)
    IdeaQuestionLink.objects.create(idea=dupe, question=q2)
    staff_client.post(
        reverse("ideas:idea-review-action", args=[dupe.pk]),
        {"action": "merge", "merge_into": keep.pk},
    )
    assert set(IdeaQuestionLink.objects.values_list("idea_id", "question_id")) == {
        (keep.pk, q1.pk),
        (keep.pk, q2.pk),
    }
