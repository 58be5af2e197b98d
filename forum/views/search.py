from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.pagecache import cache_anonymous_page

from .. import search
from ..forms_qa import SearchForm


@require_GET
@cache_anonymous_page()
def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list = []
    query = ""
    kind = ""
    status = 200
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            kind = form.cleaned_data["type"]
            if query:
                # Rank only as many hits as the pages up to the next one need (≤ 200).
                try:
                    page = max(1, int(request.GET.get("page", 1)))
                except ValueError:
                    page = 1
                hits = search.search(query, viewer=request.user,
                                     kinds=[kind] if kind else None,
                                     limit=min(200, 20 * (page + 1)))
        else:
            status = 400
    page_obj = Paginator(hits, 20).get_page(request.GET.get("page"))
    return render(request, "forum/search.html", {
        "form": form, "query": query, "kind": kind, "page_obj": page_obj,
        "hits": page_obj.object_list, "sources": search.SOURCES.values(),
    }, status=status)
