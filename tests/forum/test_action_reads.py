"""What the actions on a question page read first (a vote, a comment, an answer, a follow): the
post as the viewer may see it, by compiled reads (forum.selectors.questions, one for visitors
and one for members; moderators the ORM's way). They must find exactly what the visibility
rule (forum.permissions.questions) finds, for every state of the answer and its question and
every viewer, and an answer is read with its question in one query."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, AnswerVote, Question
from forum.permissions import questions as perms
from forum.selectors import questions as selectors
from moderation.content import ModerationState
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

STATES = [(state, False) for state in ModerationState.values] + [
    (ModerationState.PUBLISHED, True),  # published, then deleted
    (ModerationState.HELD, True),
]


def _post(factory, author, state_deleted, **kwargs):
    state, deleted = state_deleted
    return factory(
        author=author,
        moderation_state=state,
        deleted_at=timezone.now() if deleted else None,
        **kwargs,
    )


@pytest.fixture
def people(moderator):
    return {
        "visitor": AnonymousUser(),
        "author": MemberFactory(),
        "member": MemberFactory(),
        "moderator": moderator,
    }


def test_answers_and_questions_are_found_as_the_visibility_rule_finds_them(people):
    author = people["author"]
    answers = []
    for question_state, answer_state in itertools.product(STATES, STATES):
        question = _post(QuestionFactory, author, question_state)
        answers.append(_post(AnswerFactory, author, answer_state, question=question))
    for name, viewer in people.items():
        by_rule = set(
            perms.answers_visible_to(viewer)
            .filter(question__in=perms.question_visible_any_category(viewer))
            .values_list("pk", flat=True)
        )
        questions_by_rule = set(
            perms.question_visible_any_category(viewer).values_list("pk", flat=True)
        )
        for answer in answers:
            found = selectors.answer_get_visible(pk=answer.pk, viewer=viewer)
            assert (found is not None) == (answer.pk in by_rule), (name, answer.pk)
            if found is not None:
                assert found.question.pk == answer.question_id
                assert found.question.category.pk == answer.question.category_id
            question = selectors.question_get_visible(pk=answer.question_id, viewer=viewer)
            shown = answer.question_id in questions_by_rule
            assert (question is not None) == shown, (name, answer.question_id)
    # A visitor found some and missed some: the rule was tried both ways.
    assert selectors.answer_get_visible(pk=answers[0].pk, viewer=people["visitor"])
    assert selectors.answer_get_visible(pk=answers[-1].pk, viewer=people["visitor"]) is None


def test_an_unknown_or_out_of_range_id_finds_nothing(people):
    for viewer in people.values():
        for pk in (0, 2**31, 2**70, "12345678901234567890123"):
            assert selectors.answer_get_visible(pk=pk, viewer=viewer) is None
            assert selectors.question_get_visible(pk=pk, viewer=viewer) is None


def test_a_vote_on_an_answer_of_a_hidden_question_is_a_404_and_stores_nothing(member_client):
    question = QuestionFactory(moderation_state=ModerationState.HIDDEN)
    answer = AnswerFactory(question=question)
    url = reverse("forum:vote", kwargs={"kind": "answer", "pk": answer.pk})
    assert member_client.post(url, {"value": "up"}).status_code == 404
    assert not AnswerVote.objects.filter(answer=answer).exists()
    Question.objects.filter(pk=question.pk).update(moderation_state=ModerationState.PUBLISHED)
    assert member_client.post(url, {"value": "up"}).status_code == 302
    assert Answer.objects.get(pk=answer.pk).score == 1


def test_an_answer_in_an_ambassadors_category_is_a_403_for_a_member(
    member_client, private_category
):
    answer = AnswerFactory(question=QuestionFactory(category=private_category))
    url = reverse("forum:vote", kwargs={"kind": "answer", "pk": answer.pk})
    assert member_client.post(url, {"value": "up"}).status_code == 403
    comment = reverse("forum:comment-create", kwargs={"kind": "answer", "pk": answer.pk})
    assert member_client.post(comment, {"body": "Let me in, please."}).status_code == 403
    assert not AnswerVote.objects.filter(answer=answer).exists()


def test_a_moderator_reaches_a_deleted_answer_and_a_member_does_not(member, moderator):
    answer = AnswerFactory(deleted_at=timezone.now())
    assert selectors.answer_get_visible(pk=answer.pk, viewer=member) is None
    assert selectors.answer_get_visible(pk=answer.pk, viewer=moderator).pk == answer.pk


def test_a_vote_reads_its_answer_and_question_in_one_query(
    member_client, django_assert_max_num_queries
):
    answer = AnswerFactory()
    url = reverse("forum:vote", kwargs={"kind": "answer", "pk": answer.pk})
    member_client.post(url, {"value": "up"})  # the read compiled, the member's caches warm
    with django_assert_max_num_queries(11) as captured:
        assert member_client.post(url, {"value": "none"}).status_code == 302
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "forum_question"' in q["sql"]]
    assert len(reads) == 1 and 'FROM "forum_answer"' in reads[0]  # the answer's own read
