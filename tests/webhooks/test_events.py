"""Each event is recorded when its service runs, in its transaction, with its payload; the
overdue sweep announces each moderation item once."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ambassadors.services import referral_qualify
from forum.services.answers import answer_accept, answer_create
from forum.services.questions import question_create
from ideas.models import IdeaStatus
from ideas.services import idea_create, idea_status_change
from moderation import services as moderation
from moderation.models import QueueItem
from tests.ambassadors.factories import ReferralFactory
from tests.factories import sign_up
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory
from tests.ideas.factories import IdeaCategoryFactory
from tests.moderation.factories import CommentFactory, current_rule, new_member
from webhooks import services
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(db):
    """An endpoint subscribed to every event (nothing is sent: no commit runs in a test)."""
    return Endpoint.objects.create(
        name="Everything",
        url="http://127.0.0.1:8129/",
        allow_private=True,
        events=[e for e in Event.values if e != Event.PING],
    )


def _events(event):
    return [json.loads(d.body) for d in Delivery.objects.filter(event=event).order_by("id")]


def test_question_created(listening, member):
    question = question_create(
        author=member, category=CategoryFactory(), title="Where are invoices?", body="Hi there."
    )
    (envelope,) = _events(Event.QUESTION_CREATED)
    assert envelope["data"]["question"]["id"] == question.pk
    assert envelope["data"]["question"]["author"]["name"] == member.name


def test_a_held_question_is_announced_when_approved_not_before(listening, moderator):
    author = new_member()
    question = question_create(
        author=author, category=CategoryFactory(), title="First post held", body="Hello all."
    )
    assert _events(Event.QUESTION_CREATED) == []
    item = QueueItem.objects.get(queue="approval")
    moderation.queue_item_approve(actor=moderator, item=item)
    (envelope,) = _events(Event.QUESTION_CREATED)
    assert envelope["data"]["question"]["id"] == question.pk


def test_answer_created_and_accepted(listening, member, other_member):
    question = QuestionFactory(author=member)
    answer = answer_create(author=other_member, question=question, body="Use the export page.")
    (created,) = _events(Event.ANSWER_CREATED)
    assert created["data"]["answer"]["id"] == answer.pk
    assert created["data"]["question"]["id"] == question.pk
    answer_accept(actor=member, answer=answer)
    answer_accept(actor=member, answer=answer)  # already accepted: no second event
    (accepted,) = _events(Event.ANSWER_ACCEPTED)
    assert accepted["data"]["accepted_by"]["id"] == member.pk


def test_idea_created_and_status_changed(listening, member, staff):
    idea = idea_create(
        actor=member, title="Dark mode please", description="Eyes.", category=IdeaCategoryFactory()
    )
    (created,) = _events(Event.IDEA_CREATED)
    assert created["data"]["idea"]["title"] == "Dark mode please"
    idea_status_change(actor=staff, idea=idea, status=IdeaStatus.PLANNED, note="Next quarter.")
    (changed,) = _events(Event.IDEA_STATUS_CHANGED)
    assert changed["data"]["from_status"] == "new"
    assert changed["data"]["to_status"] == "planned"
    assert changed["data"]["note"] == "Next quarter."


def test_member_joined(listening, client):
    sign_up(client)
    (envelope,) = _events(Event.MEMBER_JOINED)
    assert envelope["data"]["member"]["name"] == "New Bie"


def test_referral_qualified(listening):
    referral = ReferralFactory(first_contribution_at=timezone.now())
    assert referral_qualify(referral=referral)
    (envelope,) = _events(Event.REFERRAL_QUALIFIED)
    assert envelope["data"]["referrer"]["id"] == referral.referrer_id
    assert envelope["data"]["referred"]["id"] == referral.referred_id


def test_flag_created(listening, member):
    comment = CommentFactory()
    moderation.flag_create(flagger=member, target=comment, rule=current_rule(), note="Spam link")
    (envelope,) = _events(Event.FLAG_CREATED)
    assert envelope["data"]["flag"]["note"] == "Spam link"
    assert envelope["data"]["target"]["id"] == comment.pk


def test_an_overdue_moderation_item_is_announced_once(listening, member, settings):
    settings.VECHE_QUEUE_TARGET_HOURS = {"approval": 12, "flagged": 24, "appeals": 72}
    old = moderation.queue_item_add(queue="flagged", target=AnswerFactory(), member=member)
    fresh = moderation.queue_item_add(queue="flagged", target=AnswerFactory(), member=member)
    QueueItem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))

    assert moderation.queue_items_overdue_sweep() == 1
    assert moderation.queue_items_overdue_sweep() == 0  # once per item
    (envelope,) = _events(Event.QUEUE_ITEM_OVERDUE)
    assert envelope["data"]["queue_item"]["id"] == old.pk
    assert envelope["data"]["queue_item"]["target_age_hours"] == 24
    assert "/moderation/?queue=flagged" in envelope["data"]["queue_item"]["inbox_url"]

    later = timezone.now() + timedelta(hours=30)
    assert moderation.queue_items_overdue_sweep(now=later) == 1  # the fresh one, in its turn
    assert QueueItem.objects.get(pk=fresh.pk).overdue_at is not None


def test_a_resolved_item_is_never_overdue(listening, member):
    item = moderation.queue_item_add(queue="flagged", target=AnswerFactory(), member=member)
    QueueItem.objects.filter(pk=item.pk).update(
        created_at=timezone.now() - timedelta(days=3), resolved_at=timezone.now()
    )
    assert moderation.queue_items_overdue_sweep() == 0


def test_nobody_listening_costs_no_payload(db, member, django_assert_num_queries):
    question = QuestionFactory(author=member)
    services.event_record(Event.QUESTION_CREATED, lambda q: pytest.fail("built"), question)
    with django_assert_num_queries(0):  # the endpoint list is cached
        services.event_record(Event.QUESTION_CREATED, lambda q: pytest.fail("built"), question)


def test_a_question_unanswered_for_a_day_is_announced_once(listening):
    now = timezone.now()
    waiting = QuestionFactory(title="Still waiting", created_at=now - timedelta(hours=25))
    answered = QuestionFactory(created_at=now - timedelta(hours=25), answer_count=1)
    QuestionFactory(title="Asked an hour ago", created_at=now - timedelta(hours=1))
    QuestionFactory(title="Too old", created_at=now - timedelta(days=9))
    assert answered.answer_count == 1

    assert services.unanswered_questions_announce() == 1
    assert services.unanswered_questions_announce() == 0
    (envelope,) = _events(Event.QUESTION_UNANSWERED)
    assert envelope["data"]["question"]["id"] == waiting.pk
    assert envelope["data"]["waited_hours"] == 24


def test_nothing_is_marked_unanswered_while_nobody_listens(db):
    QuestionFactory(created_at=timezone.now() - timedelta(hours=25))
    assert services.unanswered_questions_announce() == 0
    Endpoint.objects.create(
        name="Support", url="http://127.0.0.1:8129/", events=[Event.QUESTION_UNANSWERED]
    )
    assert services.unanswered_questions_announce() == 1
