"""RSS and Atom feeds of the shipped changelog; the idea board in the sitemap."""

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .permissions_ideas import ideas_listed_for
from .selectors_ideas import idea_list_shipped


class ShippedIdeasRssFeed(Feed):
    title = _("Shipped ideas")
    link = reverse_lazy("forum:idea-changelog")
    description = _("Ideas from the community that have shipped, newest first.")

    def items(self):
        return list(idea_list_shipped(None)[:30])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.ship_note_html or item.description_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.status_changed_at

    def item_author_name(self, item):
        return item.author.name if item.author else ""


class ShippedIdeasAtomFeed(ShippedIdeasRssFeed):
    feed_type = Atom1Feed
    subtitle = ShippedIdeasRssFeed.description


class IdeaSitemap(Sitemap):
    """Listed ideas and the board's pages (added to forum.sitemaps.SITEMAPS in ready)."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        return ideas_listed_for(None).only("id", "slug", "title", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class IdeaPagesSitemap(Sitemap):
    def items(self):
        return ["forum:idea-list", "forum:idea-roadmap", "forum:idea-changelog"]

    def location(self, item):
        return reverse(item)
