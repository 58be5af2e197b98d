"""The ``data`` of each event (docs/webhooks.md lists them): plain JSON values, links as full
URLs on the site. Only what a member of staff may see: endpoints are staff's."""

from typing import Any

from django.urls import reverse

from ambassadors.models import Referral
from config.site import absolute_url
from forum.models import Answer, Question
from ideas.models import Idea, IdeaStatusChange
from members.models import Member
from moderation.models import Flag, QueueItem
from moderation.registry import QUEUES, queue_target_age
from moderation.services.content import content_label, content_title, content_url

Data = dict[str, Any]


def member(member: Member | None) -> Data | None:
    if member is None:
        return None
    return {"id": member.pk, "name": member.name, "url": absolute_url(member.get_absolute_url())}


def question(question: Question) -> Data:
    return {
        "id": question.pk,
        "title": question.title,
        "url": absolute_url(question.get_absolute_url()),
        "category": question.category.name,
        "author": member(question.author),
        "created_at": question.created_at.isoformat(),
    }


def answer(answer: Answer) -> Data:
    return {
        "id": answer.pk,
        "url": absolute_url(answer.get_absolute_url()),
        "author": member(answer.author),
        "is_official": answer.is_official,
        "created_at": answer.created_at.isoformat(),
    }


def idea(idea: Idea) -> Data:
    return {
        "id": idea.pk,
        "title": idea.title,
        "url": absolute_url(idea.get_absolute_url()),
        "status": idea.status,
        "author": member(idea.author),
    }


def question_created(q: Question) -> Data:
    return {"question": question(q)}


def question_unanswered(q: Question, hours: int) -> Data:
    return {"question": question(q), "waited_hours": hours}


def answer_created(a: Answer) -> Data:
    return {"answer": answer(a), "question": question(a.question)}


def answer_accepted(a: Answer, actor: Member) -> Data:
    return {
        "answer": answer(a),
        "question": question(a.question),
        "accepted_by": member(actor),
    }


def idea_created(i: Idea) -> Data:
    return {"idea": idea(i)}


def idea_status_changed(i: Idea, change: IdeaStatusChange) -> Data:
    return {
        "idea": idea(i),
        "from_status": change.from_status,
        "to_status": change.to_status,
        "note": change.note,
        "changed_by": member(change.by),
    }


def member_joined(m: Member) -> Data:
    return {"member": member(m)}


def referral_qualified(referral: Referral) -> Data:
    return {
        "referral": {"id": referral.pk, "qualified_at": _iso(referral.qualified_at)},
        "referrer": member(referral.referrer),
        "referred": member(referral.referred),
    }


def flag_created(flag: Flag) -> Data:
    target = flag.target
    return {
        "flag": {"id": flag.pk, "rule": flag.rule.citation, "note": flag.note},
        "target": _target(target, flag.target_type.model, flag.target_id),
    }


def queue_item_overdue(item: QueueItem) -> Data:
    queue = QUEUES.get(item.queue)
    hours = queue_target_age(queue).total_seconds() / 3600 if queue else None
    return {
        "queue_item": {
            "id": item.pk,
            "queue": item.queue,
            "queue_label": str(queue.label) if queue else item.queue,
            "reason": item.reason,
            "created_at": item.created_at.isoformat(),
            "target_age_hours": hours,
            "inbox_url": absolute_url(f"{reverse('moderation:inbox')}?queue={item.queue}"),
        },
        "target": _target(item.target, item.target_type.model, item.target_id),
    }


def ping() -> Data:
    return {}


def _target(target: Any, model: str, pk: int) -> Data:
    if target is None:
        return {"type": model, "id": pk}
    return {
        "type": model,
        "id": pk,
        "label": str(content_label(target)),
        "title": content_title(target),
        "url": absolute_url(content_url(target)),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
