"""RSS and Atom feeds of new questions: all, per tag, per category (public content only)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from config.markdown import plain_text

from .models import Category, Tag
from .permissions.questions import questions_public

FEED_SIZE = 30


class QuestionFeed(Feed):
    title = _("New questions")
    description = _("The newest questions in the community.")

    def link(self, obj=None):
        from django.urls import reverse

        return reverse("forum:question-list")

    def base_items(self, obj):
        return questions_public()

    def items(self, obj=None):
        return (
            self.base_items(obj).select_related("author").order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return plain_text(item.body, 400)

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author.name if item.author else ""


class QuestionAtomFeed(QuestionFeed):
    feed_type = Atom1Feed
    subtitle = QuestionFeed.description


class TagQuestionFeed(QuestionFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return _("New questions tagged %(tag)s") % {"tag": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def base_items(self, obj):
        return questions_public().filter(tags=obj)


class CategoryQuestionFeed(QuestionFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug, ambassadors_only=False)

    def title(self, obj):
        return _("New questions in %(category)s") % {"category": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def base_items(self, obj):
        return questions_public().filter(category=obj)
