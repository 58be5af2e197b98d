"""What webhooks listen to: the lower apps' hooks, each turned into an event recorded in the
transaction that sent it (``services.event_record``). Connected once from
``WebhooksConfig.ready``; nothing imports this app."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from ambassadors.hooks import referral_qualified
from ambassadors.models import Referral
from config.cache import model_scopes, nothing
from forum.hooks import answer_accepted, answer_published, question_published
from forum.models import Answer, Question
from ideas.hooks import idea_published, idea_status_changed
from ideas.models import Idea, IdeaStatusChange
from members.hooks import member_signed_up
from members.models import Member
from members.notifications import register_kind
from moderation.hooks import flag_created, queue_item_overdue
from moderation.models import Flag, QueueItem

from . import payloads, services, widget
from .models import Announcement, Attempt, Delivery, EmbedOrigin, Endpoint, Event


def on_question_published(sender: Any, *, question: Question, **kwargs: Any) -> None:
    services.event_record(Event.QUESTION_CREATED, payloads.question_created, question)


def on_answer_published(sender: Any, *, answer: Answer, **kwargs: Any) -> None:
    services.event_record(Event.ANSWER_CREATED, payloads.answer_created, answer)


def on_answer_accepted(sender: Any, *, answer: Answer, actor: Member, **kwargs: Any) -> None:
    services.event_record(Event.ANSWER_ACCEPTED, payloads.answer_accepted, answer, actor)


def on_idea_published(sender: Any, *, idea: Idea, **kwargs: Any) -> None:
    services.event_record(Event.IDEA_CREATED, payloads.idea_created, idea)


def on_idea_status_changed(
    sender: Any, *, idea: Idea, change: IdeaStatusChange, **kwargs: Any
) -> None:
    services.event_record(Event.IDEA_STATUS_CHANGED, payloads.idea_status_changed, idea, change)


def on_member_signed_up(sender: Any, *, member: Member, **kwargs: Any) -> None:
    services.event_record(Event.MEMBER_JOINED, payloads.member_joined, member)


def on_referral_qualified(sender: Any, *, referral: Referral, **kwargs: Any) -> None:
    services.event_record(Event.REFERRAL_QUALIFIED, payloads.referral_qualified, referral)


def on_flag_created(sender: Any, *, flag: Flag, **kwargs: Any) -> None:
    services.event_record(Event.FLAG_CREATED, payloads.flag_created, flag)


def on_queue_item_overdue(sender: Any, *, item: QueueItem, **kwargs: Any) -> None:
    services.event_record(Event.QUEUE_ITEM_OVERDUE, payloads.queue_item_overdue, item)


def endpoint_scopes(instance: Any, update_fields: frozenset | None) -> tuple[str, ...]:
    # The list of active endpoints every event reads (services._active_endpoints).
    return (services.ENDPOINTS_SCOPE,)


def embed_origin_scopes(instance: Any, update_fields: frozenset | None) -> tuple[str, ...]:
    # The widget's frame-ancestors, read on (and cached with) every widget page.
    return (widget.ORIGINS_SCOPE,)


def connect() -> None:
    model_scopes(Endpoint, endpoint_scopes)
    model_scopes(EmbedOrigin, embed_origin_scopes)
    model_scopes(Delivery, nothing)
    model_scopes(Attempt, nothing)
    model_scopes(Announcement, nothing)
    register_kind(
        "webhook_disabled",
        label=_("A webhook endpoint was switched off"),
        message=_("The webhook endpoint %(name)s kept failing and was switched off"),
    )
    question_published.connect(on_question_published, dispatch_uid="webhooks.question_created")
    answer_published.connect(on_answer_published, dispatch_uid="webhooks.answer_created")
    answer_accepted.connect(on_answer_accepted, dispatch_uid="webhooks.answer_accepted")
    idea_published.connect(on_idea_published, dispatch_uid="webhooks.idea_created")
    idea_status_changed.connect(on_idea_status_changed, dispatch_uid="webhooks.idea_status")
    member_signed_up.connect(on_member_signed_up, dispatch_uid="webhooks.member_joined")
    referral_qualified.connect(on_referral_qualified, dispatch_uid="webhooks.referral_qualified")
    flag_created.connect(on_flag_created, dispatch_uid="webhooks.flag_created")
    queue_item_overdue.connect(on_queue_item_overdue, dispatch_uid="webhooks.queue_item_overdue")
