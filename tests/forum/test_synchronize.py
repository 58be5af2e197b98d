import pytest
from django.core.management import call_command

from forum.models import AnswerVote, Comment, Question, QuestionVote, Tag
from forum.services.comments import comment_create
from moderation.content import ModerationState
from moderation.models import QueueItem
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_synchronize_questions_recomputes_counters_from_rows():
    tag = TagFactory()
    question = QuestionFactory(tags=[tag], score=99, answer_count=7, comment_count=5)
    answer = AnswerFactory(question=question, score=-4)
    AnswerFactory(question=question, moderation_state=ModerationState.HELD)
    CommentFactory(target=question)
    CommentFactory(target=answer)
    QuestionVote.objects.create(question=question, member=MemberFactory(), value=1)
    AnswerVote.objects.create(answer=answer, member=MemberFactory(), value=1)
    AnswerVote.objects.create(answer=answer, member=MemberFactory(), value=1)
    call_command("synchronize_questions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    question.refresh_from_db()
    answer.refresh_from_db()
    assert (question.score, question.answer_count, question.comment_count) == (1, 1, 1)
    assert (answer.score, answer.comment_count) == (2, 1)
    assert Tag.objects.get(pk=tag.pk).question_count == 1


def test_held_comment_is_queued_and_hidden_from_others(client, new_member, other_member):
    """A new member's first posts wait for approval (moderation's real screening)."""
    question = QuestionFactory()
    comment = comment_create(author=new_member, target=question, body="A held comment here")
    assert comment.moderation_state == ModerationState.HELD
    item = QueueItem.objects.get()
    assert (item.queue, item.target, item.member) == ("approval", comment, new_member)
    assert item.is_open
    question.refresh_from_db()
    assert question.comment_count == 0
    client.force_login(new_member)
    assert "A held comment here" in client.get(question.get_absolute_url()).content.decode()
    client.force_login(other_member)
    assert "A held comment here" not in client.get(question.get_absolute_url()).content.decode()
    assert Comment.objects.count() == 1
    assert Question.objects.count() == 1
