"""Periodic Q&A sweeps: reminders to accept an answer, and the unanswered-questions digest."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.markdown import plain_text
from config.site import absolute_url
from members.models import Expertise, Member
from members.services import email_build, email_enqueue, wants_email
from moderation.content import ModerationState

from ..conf import accept_reminder_days
from ..models import Question
from ..permissions import questions as perms
from .notifications import notify


def accept_reminder_sweep(*, now: datetime | None = None) -> int:
    """Remind each asker once whose question has answers but none accepted after the set
    number of days. The conditional update claims a question so two sweeps never both send."""
    now = now or timezone.now()
    due = Question.objects.filter(
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
        accepted_answer__isnull=True,
        answer_count__gt=0,
        accept_reminder_sent_at__isnull=True,
        closed_at__isnull=True,
        author__isnull=False,
        first_answered_at__lte=now - timedelta(days=accept_reminder_days()),
    ).select_related("author")
    sent = 0
    for question in due[:500]:
        author = question.author
        if author is None:  # excluded by the query; checked for the type
            continue
        with transaction.atomic():
            claimed = Question.objects.filter(
                pk=question.pk, accept_reminder_sent_at__isnull=True
            ).update(accept_reminder_sent_at=now)
            if not claimed:
                continue
            notify(
                recipients=[author],
                kind="accept_reminder",
                actor=None,
                question=question,
                url=question.get_absolute_url(),
                target=question,
            )
            sent += 1
    return sent


def unanswered_digest_send(
    *, now: datetime | None = None, days: int = 7, per_member: int = 10
) -> int:
    """E-mail each member who opted in the recent unanswered questions tagged with their
    areas of expertise. A constant number of queries plus the outbox insert."""
    now = now or timezone.now()
    questions = list(
        perms.questions_public()
        .filter(answer_count=0, closed_at__isnull=True, created_at__gte=now - timedelta(days=days))
        .prefetch_related("tags")
        .order_by("-created_at")[:500]
    )
    by_slug: dict[str, list[Question]] = {}
    for question in questions:
        for tag in question.tags.all():
            by_slug.setdefault(tag.slug, []).append(question)
    if not by_slug:
        return 0
    member_slugs: dict[int, set[str]] = {}
    for member_id, slug in Expertise.objects.filter(
        tag_slug__in=list(by_slug),
        member__digest_opt_in=True,
        member__is_active=True,
        member__banned_at__isnull=True,
    ).values_list("member_id", "tag_slug"):
        member_slugs.setdefault(member_id, set()).add(slug)
    emails = []
    for member in Member.objects.filter(pk__in=list(member_slugs)):
        if not wants_email(member, "digest"):
            continue
        picked: list[Question] = []
        for slug in sorted(member_slugs[member.pk]):
            for question in by_slug[slug]:
                if question not in picked and question.author_id != member.pk:
                    picked.append(question)
        picked = sorted(picked, key=lambda q: q.created_at, reverse=True)[:per_member]
        if not picked:
            continue
        emails.append(
            email_build(
                member=member,
                kind="digest",
                subject=_("Unanswered questions you could help with"),
                template="forum/email/unanswered_digest.txt",
                context={
                    "questions": [
                        {
                            "title": q.title,
                            "url": absolute_url(q.get_absolute_url()),
                            "excerpt": plain_text(q.body, 160),
                        }
                        for q in picked
                    ]
                },
            )
        )
    email_enqueue(emails)
    return len(emails)
