"""RSS and Atom feeds of the shipped changelog; the idea board in the sitemap."""

from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from config.site import SiteFeed, SiteSitemap

from .models import Idea
from .permissions import ideas_listed_for
from .selectors import idea_list_shipped


class ShippedIdeasRssFeed(SiteFeed):
    title = _("Shipped ideas")
    link = reverse_lazy("ideas:idea-changelog")
    description = _("Ideas from the community that have shipped, newest first.")

    def items(self) -> list[Idea]:
        return list(idea_list_shipped(None)[:30])

    def item_title(self, item: Idea) -> str:
        return item.title

    def item_description(self, item: Idea) -> str:
        # ship_note_html is annotated by idea_list_shipped.
        return getattr(item, "ship_note_html", None) or item.description_html

    def item_link(self, item: Idea) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Idea) -> datetime:
        return item.status_changed_at

    def item_author_name(self, item: Idea) -> str:
        return item.author.name if item.author else ""


class ShippedIdeasAtomFeed(ShippedIdeasRssFeed):
    feed_type = Atom1Feed
    subtitle = ShippedIdeasRssFeed.description


class IdeaSitemap(SiteSitemap):
    """Listed ideas (added to forum.sitemaps.SITEMAPS by ideas.receivers)."""

    changefreq = "daily"
    limit = 5000

    def items(self) -> QuerySet[Idea]:
        return ideas_listed_for(None).only("id", "slug", "title", "updated_at").order_by("id")

    def lastmod(self, item: Idea) -> datetime:
        return item.updated_at


class IdeaPagesSitemap(SiteSitemap):
    """The board's own pages."""

    def items(self) -> list[str]:
        return ["ideas:idea-list", "ideas:idea-roadmap", "ideas:idea-changelog"]

    def location(self, item: str) -> str:
        return reverse(item)
