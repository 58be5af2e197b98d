import re
from typing import cast

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.cache import FREE_TEXT, PAGE, cache_anonymous_page

from .forms import SearchForm
from .hooks import NO_HITS_EXTRAS
from .selectors import search_page
from .sources import SOURCES


@require_GET
@cache_anonymous_page(
    lambda request: ("questions", "ideas", "faq"),
    {"q": FREE_TEXT, "type": re.compile(r"^[a-z]{0,20}\Z"), "page": PAGE},
)
def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = ""
    kind = ""
    status = 200
    page_obj = None
    if form.is_bound:
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            kind = form.cleaned_data["type"]
            if query:
                # Ranks only as many hits as the pages up to the next one need (≤ 200) and
                # builds only the shown ones.
                page_obj = search_page(
                    query,
                    viewer=request.user,
                    kinds=[kind] if kind else None,
                    page=request.GET.get("page"),
                )
        else:
            status = 400
    if page_obj is None:
        page_obj = Paginator([], 20).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "page_obj": page_obj,
            "hits": page_obj.object_list,
            "sources": SOURCES.values(),
            "no_hits_extras": NO_HITS_EXTRAS,
            # a plain <select>: no widget
            "type_choices": cast(forms.ChoiceField, SearchForm.base_fields["type"]).choices,
        },
        status=status,
    )
