"""The site's public address: the one source of every absolute link.

E-mails (invitations, notifications, the welcome and digest e-mails, allauth's account
e-mails), the RSS and Atom feeds and the sitemap all build their links with ``site_url()``.
It is ``VECHE_SITE_URL`` when set; in production without it, ``https://`` and the first
allowed host; in development without it, the address of the request being answered (so a
site run on another port or host links to itself), and ``http://127.0.0.1:8000`` outside a
request (workers, commands). docs/deployment.md lists the setting.

``django.contrib.sites`` is not installed: its one ``Site`` row ("example.com" until someone
edits it in the admin) would be a second source that nobody keeps in step.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import SyndicationFeed

from .urlbuild import answering

# The address of the request being answered, in development without VECHE_SITE_URL only.
_request_url: ContextVar[str] = ContextVar("veche_request_site_url", default="")


def site_url() -> str:
    """The site's address, scheme and host without a trailing slash."""
    return _request_url.get() or settings.SITE_URL


def absolute_url(path: str) -> str:
    """``path`` (``/questions/1-…/``) as a full URL on the site; a full URL is kept."""
    return path if urlsplit(path).scheme else site_url() + path


def on_site(url: str) -> str:
    """A full URL moved to the site's address (allauth builds its links from the request)."""
    return absolute_url(urlsplit(url)._replace(scheme="", netloc="").geturl())


class SiteAddressMiddleware:
    """Links built while answering a request: their paths with the request's URL configuration
    and prefix, read once (``config.urlbuild.answering``); in development without
    VECHE_SITE_URL, their host and port those the request came to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with answering():
            if not settings.SITE_URL_FROM_REQUEST:
                return self.get_response(request)
            token = _request_url.set(f"{request.scheme}://{request.get_host()}")
            try:
                return self.get_response(request)
            finally:
                _request_url.reset(token)


class SiteAddress:
    """What allauth's e-mail templates know as ``current_site``: the site's name and the host
    of its address."""

    def __init__(self) -> None:
        self.name = "Veche"
        self.domain = urlsplit(site_url()).netloc

    def __str__(self) -> str:
        return self.domain


class _AtSiteAddress:
    """A request seen as if it came to the site's address: Django's feeds take their host
    and scheme from the request."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        parts = urlsplit(site_url())
        self._host, self._secure = parts.netloc, parts.scheme == "https"

    def get_host(self) -> str:
        return self._host

    def is_secure(self) -> bool:
        return self._secure

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


class SiteFeed(Feed):
    """A feed whose links use the site's address."""

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        return super().get_feed(obj, cast(HttpRequest, _AtSiteAddress(request)))


class SiteSitemap(Sitemap):
    """A sitemap whose links use the site's address."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(site_url()).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(site_url()).netloc
