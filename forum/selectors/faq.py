"""FAQ reads."""

from django.db.models import QuerySet

from ..models import FaqEntry
from ..permissions import questions as perms
from ..permissions.questions import Viewer


def faq_list_for(viewer: Viewer) -> QuerySet[FaqEntry]:
    return (
        perms.faq_entries_visible_to(viewer)
        .select_related("category")
        .order_by("category__position", "category__name", "category_id", "position", "id")
    )


def faq_list_titles(viewer: Viewer) -> QuerySet[FaqEntry]:
    """The FAQ page's entries: titles and links only, so bodies are not loaded."""
    return faq_list_for(viewer).defer("body", "body_html", "search_vector")
