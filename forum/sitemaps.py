"""Sitemaps of public content. Other apps add theirs to ``SITEMAPS`` in their ``ready``."""

from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse

from config.site import SiteSitemap

from .models import Category, FaqEntry, Question
from .permissions.questions import questions_public


class QuestionSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self) -> QuerySet[Question]:
        return questions_public().only("id", "slug", "title", "last_activity_at").order_by("id")

    def lastmod(self, item: Question) -> datetime:
        return item.last_activity_at


class FaqSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[FaqEntry]:
        return FaqEntry.objects.filter(
            is_published=True, category__ambassadors_only=False
        ).order_by("id")

    def lastmod(self, item: FaqEntry) -> datetime:
        return item.updated_at


class CategorySitemap(SiteSitemap):
    def items(self) -> QuerySet[Category]:
        return Category.objects.filter(ambassadors_only=False)


class StaticSitemap(SiteSitemap):
    def items(self) -> list[str]:
        return ["home", "forum:question-list", "forum:faq"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "questions": QuestionSitemap,
    "faq": FaqSitemap,
    "categories": CategorySitemap,
}
