"""RSS and Atom feeds of new questions: all, per tag, per category (public content only)."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from config.markdown import plain_text
from config.site import SiteFeed

from .models import Category, Question, Tag
from .permissions.questions import questions_public

FEED_SIZE = 30


class QuestionFeed(SiteFeed):
    title = _("New questions")
    description = _("The newest questions in the community.")

    def link(self, obj: Tag | Category | None = None) -> str:
        return reverse("forum:question-list")

    def base_items(self, obj: Tag | Category | None) -> QuerySet[Question]:
        return questions_public()

    def items(self, obj: Tag | Category | None = None) -> QuerySet[Question]:
        return (
            self.base_items(obj).select_related("author").order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        return plain_text(item.body, 400)

    def item_pubdate(self, item: Question) -> datetime:
        return item.created_at

    def item_author_name(self, item: Question) -> str:
        return item.author.name if item.author else ""


class QuestionAtomFeed(QuestionFeed):
    feed_type = Atom1Feed
    subtitle = QuestionFeed.description


class TagQuestionFeed(QuestionFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return _("New questions tagged %(tag)s") % {"tag": obj.name}

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def base_items(self, obj: Tag) -> QuerySet[Question]:
        return questions_public().filter(tags=obj)


class CategoryQuestionFeed(QuestionFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug, ambassadors_only=False)

    def title(self, obj: Category) -> str:
        return _("New questions in %(category)s") % {"category": obj.name}

    def link(self, obj: Category) -> str:
        return obj.get_absolute_url()

    def base_items(self, obj: Category) -> QuerySet[Question]:
        return questions_public().filter(category=obj)
