"""FAQ writes (staff) and the "Did this answer your question?" feedback."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.counters import counter_add
from config.markdown import render_markdown
from members.models import Member
from search.vectors import vector_update

from ..models import Category, DeflectionFeedback, FaqEntry, Question
from ..permissions import questions as perms
from ..selectors.faq import feedback_given
from .badges import badges_on_faq_promoted


def faq_entry_create(
    *,
    actor: Member,
    category: Category,
    title: str,
    body: str,
    position: int = 0,
    review_by: date | None = None,
    source_question: Question | None = None,
    is_published: bool = True,
) -> FaqEntry:
    perms.check_can_manage_faq(actor)
    with transaction.atomic():
        entry = FaqEntry.objects.create(
            category=category,
            title=title.strip(),
            slug=slugify(title, allow_unicode=True)[:200] or "faq",
            body=body,
            body_html=render_markdown(body),
            position=position,
            review_by=review_by,
            source_question=source_question,
            is_published=is_published,
            created_by=actor,
        )
        vector_update(FaqEntry.objects.filter(pk=entry.pk))
    return entry


def faq_entry_update(
    *,
    actor: Member,
    entry: FaqEntry,
    category: Category,
    title: str,
    body: str,
    position: int,
    review_by: date | None = None,
    is_published: bool = True,
) -> FaqEntry:
    perms.check_can_manage_faq(actor)
    with transaction.atomic():
        entry.category, entry.title, entry.body = category, title.strip(), body
        entry.slug = slugify(title, allow_unicode=True)[:200] or "faq"
        entry.body_html = render_markdown(body)
        entry.position, entry.review_by, entry.is_published = position, review_by, is_published
        entry.updated_at = timezone.now()
        entry.save()
        vector_update(FaqEntry.objects.filter(pk=entry.pk))
    return entry


def faq_entry_promote(*, actor: Member, question: Question) -> FaqEntry:
    """Turn a solved question into an FAQ entry: its title, the accepted answer as the body,
    and a link back to the question."""
    perms.check_can_manage_faq(actor)
    answer = question.accepted_answer if question.accepted_answer_id else None
    if answer is None:
        raise ValidationError(_("Only a solved question can become an FAQ entry."))
    position = FaqEntry.objects.filter(category=question.category).count()
    entry = faq_entry_create(
        actor=actor,
        category=question.category,
        title=question.title,
        body=answer.body,
        position=position,
        source_question=question,
    )
    badges_on_faq_promoted(entry=entry)
    return entry


def faq_view_record(*, entry_id: int) -> None:
    counter_add(FaqEntry, entry_id, "view_count")


def feedback_record(
    *,
    member: Member | None,
    session_key: str = "",
    helpful: bool,
    would_have_contacted_support: bool | None = None,
    question: Question | None = None,
    faq_entry: FaqEntry | None = None,
) -> DeflectionFeedback | None:
    """Store one answer to "Did this answer your question?" per member (or session) and
    target; a repeat is ignored. Returns None when ignored."""
    if (question is None) == (faq_entry is None):
        raise ValueError("feedback needs exactly one target")
    if question is not None and not question.is_solved:
        raise PermissionDenied(_("Feedback is asked on solved questions only."))
    member = member if getattr(member, "is_authenticated", False) else None
    if member is None and not session_key:
        raise PermissionDenied(_("Feedback needs a session."))
    lookup = {"question": question, "faq_entry": faq_entry}
    if member is None and feedback_given(
        member=None, session_key=session_key, question=question, faq_entry=faq_entry
    ):
        return None
    try:
        with transaction.atomic():
            feedback = DeflectionFeedback.objects.create(
                member=member,
                session_key="" if member else session_key,
                helpful=helpful,
                would_have_contacted_support=would_have_contacted_support,
                **lookup,
            )
            if faq_entry is not None:
                field = "helpful_yes" if helpful else "helpful_no"
                FaqEntry.objects.filter(pk=faq_entry.pk).update(**{field: F(field) + 1})
    except IntegrityError:
        return None
    return feedback


def faq_entry_search_index_all() -> None:
    """Refresh the stored search vector of every FAQ entry (PostgreSQL; SQLite searches with
    LIKE)."""
    vector_update(FaqEntry.objects.all())
