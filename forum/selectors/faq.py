"""FAQ reads."""

from django.db.models import QuerySet

from config.translation import translation_languages
from members.models import Member

from ..models import DeflectionFeedback, FaqEntry, Question
from ..permissions import questions as perms
from ..permissions.questions import Viewer


def faq_list_for(viewer: Viewer) -> QuerySet[FaqEntry]:
    return (
        perms.faq_entries_visible_to(viewer)
        .select_related("category")
        .order_by("category__position", "category__name", "category_id", "position", "id")
    )


def faq_list_titles(viewer: Viewer) -> QuerySet[FaqEntry]:
    """The FAQ page's entries: only the columns its sections show (a row of ~300 costs its
    columns' parsing: the bodies, dates and counters were two thirds of the page)."""
    return faq_list_for(viewer).only(
        "title",
        "slug",
        "is_published",
        "review_by",
        "category__name",
        "category__slug",
        "category__description",
        # The category's translations: without them a reader in Russian cost two queries
        # per category (each deferred column loaded on its own).
        *(
            f"category__{name}_{language}"
            for name in ("name", "description")
            for language in translation_languages()
        ),
    )


def feedback_given(
    *,
    member: Member | None,
    session_key: str | None,
    question: Question | None = None,
    faq_entry: FaqEntry | None = None,
) -> bool:
    """Whether this member (or, signed out, this browser session) already answered "Did this
    answer your question?" on the target: the form is not offered again, a repeat not counted."""
    target = {"question": question, "faq_entry": faq_entry}
    if member is not None:
        return DeflectionFeedback.objects.filter(member=member, **target).exists()
    if not session_key:  # a first visit: no session, nothing given (and no query)
        return False
    return DeflectionFeedback.objects.filter(
        session_key=session_key, member__isnull=True, **target
    ).exists()
