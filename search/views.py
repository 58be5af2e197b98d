import re
from typing import cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from config.cache import (
    FREE_TEXT,
    PAGE,
    SITE,
    cache_anonymous_page,
    page_cache_seconds,
    page_shows,
    query_key,
    remember,
    within_budget,
)

from .forms import SearchForm
from .hooks import NO_HITS_EXTRAS
from .selectors import search_page
from .sources import SOURCES, Viewer

PARAMS = {"q": FREE_TEXT, "type": re.compile(r"^[a-z]{0,20}\Z"), "page": PAGE}
SCOPES = ("questions", "ideas", "faq")
PER_PAGE = 20


def _hits(request: HttpRequest, query: str, kind: str) -> tuple[str, "Page"]:
    """The page's hits as HTML, and its ``Page`` for the pagination. A member who finds what
    a visitor finds in every source searched (``as_visitors``: search.sources) gets the
    visitors' hits, kept in the cache under the scopes of the visitors' page, for the declared
    queries and within the view's budget of free-text values (config.cache.within_budget);
    anyone else searches with their own visibility."""
    kinds = [kind] if kind else None

    def load(viewer: Viewer) -> tuple[str, int, int, list[str]]:
        page_obj = search_page(query, viewer=viewer, kinds=kinds, page=request.GET.get("page"))
        hits = {"hits": page_obj.object_list}
        html = SafeString(
            render_to_string("search/hits.html", hits, request, using="jinja2").strip()
        )
        shown = sorted({hit.scope for hit in page_obj.object_list if hit.scope})
        return html, page_obj.paginator.count, page_obj.number, shown

    user, name = request.user, query_key(request, PARAMS)  # None: an undeclared query
    searched = [source for key, source in SOURCES.items() if not kinds or key in kinds]
    if (
        user.is_authenticated
        and page_cache_seconds() > 0
        and name is not None
        and all(source.as_visitors is not None and source.as_visitors(user) for source in searched)
    ):
        html, count, number, shown = remember(
            f"veche:search:{get_language()}:{name}",
            (*SCOPES, SITE),
            lambda: load(AnonymousUser()),
            lambda: page_cache_seconds() if within_budget(search_view, request, PARAMS) else 0,
            shown=lambda value: value[3],  # a hit's post hidden or edited: searched again
        )
    else:
        html, count, number, shown = load(user)
    page_shows(request, shown)  # the same for the visitors' stored page
    # Ranking asks for no more than the pages up to the next one: the count is of those.
    return html, Paginator(range(count), PER_PAGE).get_page(number)


@require_GET
@cache_anonymous_page(lambda request: SCOPES, PARAMS)
def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = ""
    kind = ""
    status = 200
    page_obj = None
    hits_html = ""
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            kind = form.cleaned_data["type"]
            if query:
                # Ranks only as many hits as the pages up to the next one need (≤ 200) and
                # builds only the shown ones.
                hits_html, page_obj = _hits(request, query, kind)
        else:
            status = 400
    if page_obj is None:
        page_obj = Paginator([], PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "page_obj": page_obj,
            "hits_html": hits_html,
            "sources": SOURCES.values(),
            "no_hits_extras": NO_HITS_EXTRAS,
            # a plain <select>: no widget
            "type_choices": cast(forms.ChoiceField, SearchForm.base_fields["type"]).choices,
        },
        status=status,
    )
