import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum.models import Question
from forum.services.answers import answer_accept
from forum.services.sweeps import accept_reminder_sweep, unanswered_digest_send
from members.models import Expertise, Notification
from members.services import outbox_deliver
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_asking_and_answering_succeed_when_the_broker_is_down_and_mail_goes_out_later(
    client, member, other_member, category, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from members import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(tasks.outbox_deliver_task, "apply_async", broker_down)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            reverse("forum:question-ask"),
            {
                "title": "Does the broker outage lose my question?",
                "body": "Asking while the broker is unreachable.",
                "category": "billing",
            },
        )
    assert asked.status_code == 302
    question = Question.objects.get()
    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(
            reverse("forum:answer-create", args=[question.pk]),
            {"body": "No, it is stored first and mailed later."},
        )
    assert answered.status_code == 302
    assert question.answers.count() == 1
    assert Notification.objects.filter(recipient=member, kind="answer_new").count() == 1
    assert mail.outbox == []  # nothing could be handed to a worker

    monkeypatch.undo()  # the broker is back: the periodic outbox flush sends it
    assert outbox_deliver() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "Does the broker outage lose my question?" in mail.outbox[0].subject
    assert outbox_deliver() == 0  # exactly once


def test_notification_list_shows_forum_messages(client, member):
    question = QuestionFactory(author=member, title="Where is the export button?")
    answer = AnswerFactory(question=question)
    answer_accept(actor=member, answer=answer)
    client.force_login(answer.author)
    body = client.get(reverse("members:notifications")).content.decode()
    assert "accepted your answer to" in body and "Where is the export button?" in body


def test_accept_reminder_is_sent_once(member):
    now = timezone.now()
    due = QuestionFactory(
        author=member, answer_count=1, first_answered_at=now - datetime.timedelta(days=5)
    )
    QuestionFactory(answer_count=1, first_answered_at=now - datetime.timedelta(hours=5))
    QuestionFactory(answer_count=0)
    assert accept_reminder_sweep(now=now) == 1
    assert accept_reminder_sweep(now=now) == 0
    notification = Notification.objects.get(kind="accept_reminder")
    assert notification.recipient == member
    due.refresh_from_db()
    assert due.accept_reminder_sent_at is not None


def test_accept_reminder_task_runs(member):
    from forum.tasks import accept_reminder_sweep_task

    QuestionFactory(
        author=member,
        answer_count=1,
        first_answered_at=timezone.now() - datetime.timedelta(days=10),
    )
    assert accept_reminder_sweep_task.apply().get() == 1


def test_weekly_digest_goes_to_opted_in_experts(django_capture_on_commit_callbacks):
    tag = TagFactory(name="sso", slug="sso")
    other_tag = TagFactory(name="api", slug="api")
    QuestionFactory(title="SSO login loops forever", tags=[tag])
    QuestionFactory(title="API rate limits question", tags=[other_tag])
    answered = QuestionFactory(title="Answered SSO question", tags=[tag], answer_count=1)
    expert = MemberFactory()
    Expertise.objects.create(member=expert, tag_slug="sso")
    opted_out = MemberFactory(digest_opt_in=False)
    Expertise.objects.create(member=opted_out, tag_slug="sso")
    MemberFactory()  # no expertise
    with django_capture_on_commit_callbacks(execute=True):
        assert unanswered_digest_send() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [expert.email]
    assert "SSO login loops forever" in message.body
    assert "API rate limits" not in message.body and answered.title not in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert "/unsubscribe/" in message.body or "unsubscribe" in message.body.lower()
