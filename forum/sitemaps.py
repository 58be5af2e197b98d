"""Sitemaps of public content. Other apps add theirs to ``SITEMAPS`` in their ``ready``."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Category, FaqEntry
from .permissions.questions import questions_public


class QuestionSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return questions_public().only("id", "slug", "title", "last_activity_at").order_by("id")

    def lastmod(self, item):
        return item.last_activity_at


class FaqSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return FaqEntry.objects.filter(
            is_published=True, category__ambassadors_only=False
        ).order_by("id")

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(Sitemap):
    def items(self):
        return Category.objects.filter(ambassadors_only=False)


class StaticSitemap(Sitemap):
    def items(self):
        return ["home", "forum:question-list", "forum:faq"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "questions": QuestionSitemap,
    "faq": FaqSitemap,
    "categories": CategorySitemap,
}
