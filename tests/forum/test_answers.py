import pytest
from django.core import mail
from django.urls import reverse

from ambassadors.models import Referral
from forum.models import Answer, Comment, Follow, Question
from tests.ambassadors.factories import ReferralFactory
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_member_answers_and_followers_are_notified(
    client, member, other_member, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(referred=other_member)
    question = QuestionFactory(author=member)
    Follow.objects.create(member=member, target=question)
    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:answer-create", args=[question.pk]),
            {"body": "Open **Settings → Billing**."},
        )
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    assert not answer.is_official
    question.refresh_from_db()
    assert question.answer_count == 1 and question.first_answered_at is not None
    assert member.notifications.get().kind == "answer_new"
    member.refresh_from_db()
    assert member.unread_notifications == 1
    # One mail to the follower about the answer; the other goes to the referrer, because the
    # published answer is the referred member's first contribution: the referral qualifies.
    to_follower = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_follower) == 1 and question.title in to_follower[0].subject
    assert "List-Unsubscribe" in to_follower[0].extra_headers
    assert [m.to for m in mail.outbox if m not in to_follower] == [[referral.referrer.email]]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert referral.first_contribution_at and referral.qualified_at


def test_staff_answers_are_marked_official(staff_client):
    question = QuestionFactory()
    staff_client.post(
        reverse("forum:answer-create", args=[question.pk]),
        {"body": "This is the official way to do it."},
    )
    assert Answer.objects.get().is_official
    question.refresh_from_db()
    assert question.official_answered_at is not None
    assert "Official answer" in staff_client.get(question.get_absolute_url()).content.decode()


def test_anonymous_cannot_answer(client):
    question = QuestionFactory()
    response = client.post(
        reverse("forum:answer-create", args=[question.pk]), {"body": "Anonymous answer text"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Answer.objects.exists()


def test_empty_answer_is_rejected(member_client):
    question = QuestionFactory()
    response = member_client.post(reverse("forum:answer-create", args=[question.pk]), {"body": "x"})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_locked_question_refuses_answers_but_not_for_moderators(member_client, client, moderator):
    question = QuestionFactory(is_locked=True)
    response = member_client.post(
        reverse("forum:answer-create", args=[question.pk]),
        {"body": "An answer to a locked question"},
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()
    client.force_login(moderator)
    client.post(
        reverse("forum:answer-create", args=[question.pk]), {"body": "Moderator may still answer"}
    )
    assert Answer.objects.count() == 1


def test_asker_accepts_an_answer_and_can_change_it(client, member):
    question = QuestionFactory(author=member)
    first = AnswerFactory(question=question)
    second = AnswerFactory(question=question)
    client.force_login(member)
    client.post(reverse("forum:answer-accept", args=[first.pk]))
    question.refresh_from_db()
    first.author.refresh_from_db()
    assert question.accepted_answer == first and question.solved_at
    assert first.author.reputation == 5
    # (besides the "Helper" badge of a first accepted answer: tests/members/test_badges.py)
    assert first.author.notifications.exclude(kind="badge_awarded").get().kind == "answer_accepted"
    client.post(reverse("forum:answer-accept", args=[second.pk]))
    question.refresh_from_db()
    first.refresh_from_db()
    first.author.refresh_from_db()
    second.author.refresh_from_db()
    assert question.accepted_answer == second
    assert not first.is_accepted and first.author.reputation == 0
    assert second.author.reputation == 5
    assert Answer.objects.filter(is_accepted=True).count() == 1
    body = client.get(question.get_absolute_url()).content.decode()
    assert body.index(f'id="answer-{second.pk}"') < body.index(f'id="answer-{first.pk}"')
    client.post(reverse("forum:answer-unaccept", args=[second.pk]))
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_staff_can_accept_but_another_member_cannot(client, staff, other_member):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    client.force_login(other_member)
    assert client.post(reverse("forum:answer-accept", args=[answer.pk])).status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None
    client.force_login(staff)
    client.post(reverse("forum:answer-accept", args=[answer.pk]))
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_anonymous_cannot_accept(client):
    answer = AnswerFactory()
    response = client.post(reverse("forum:answer-accept", args=[answer.pk]))
    assert response.status_code == 302
    assert not Question.objects.filter(accepted_answer__isnull=False).exists()


def test_comments_on_question_and_answer_notify(client, member, other_member):
    question = QuestionFactory(author=member)
    Follow.objects.create(member=member, target=question)
    answer = AnswerFactory(question=question)
    client.force_login(other_member)
    response = client.post(
        reverse("forum:comment-create", args=["question", question.pk]),
        {"body": "Which plan are you on?"},
    )
    assert response.status_code == 302
    client.post(
        reverse("forum:comment-create", args=["answer", answer.pk]),
        {"body": "This worked for me, thanks @" + member.username},
    )
    assert Comment.objects.count() == 2
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.comment_count == 1 and answer.comment_count == 1
    assert answer.author.notifications.filter(kind="comment_new").count() == 1
    assert member.notifications.filter(kind="comment_new").count() == 2
    assert member.notifications.filter(kind="mention").count() == 1
    body = client.get(question.get_absolute_url()).content.decode()
    assert "Which plan are you on?" in body and "This worked for me" in body


def test_anonymous_cannot_comment_and_bad_kind_is_404(client, member):
    question = QuestionFactory()
    response = client.post(
        reverse("forum:comment-create", args=["question", question.pk]), {"body": "hello there"}
    )
    assert response.status_code == 302
    client.force_login(member)
    assert client.post(f"/qa/faq/{question.pk}/comment/", {"body": "hello"}).status_code == 404
    assert not Comment.objects.exists()


def test_mention_in_a_question_notifies_the_member(member_client, category):
    mentioned = MemberFactory(username="helpful_hanna")
    member_client.post(
        reverse("forum:question-ask"),
        {
            "title": "Question for @helpful_hanna about exports",
            "body": "Hi @helpful_hanna, how do you export to CSV?",
            "category": "billing",
        },
    )
    assert mentioned.notifications.get().kind == "mention"
