"""Site search over questions, answers, the FAQ and ideas, as the search page ranks it."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from search.forms import SearchForm
from search.selectors import search_page

from ..access import cleaned, reading
from ..schemas import ErrorOut, SearchPage

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(description="The words to find.")
    type: str | None = Field(None, description="Only one kind: question, answer, faq, idea…")
    page: int = Field(1, ge=1, le=10, description="Hits are ranked: pages, not cursors.")


@router.get(
    "",
    response={200: SearchPage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Search",
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    reading(request)
    data = cleaned(SearchForm({"q": query.q, "type": query.type or ""}))
    text = data["q"].strip()
    kind = data["type"]
    if not text:
        return {"results": [], "page": query.page, "has_next": False}
    page = search_page(text, viewer=request.user, kinds=[kind] if kind else None, page=query.page)
    return {
        "results": [
            {
                "kind": hit.kind,
                "title": hit.title,
                "url": hit.url,
                "excerpt": str(hit.excerpt),
                "created_at": hit.created_at,
                "solved": hit.solved,
            }
            for hit in page.object_list
        ],
        "page": page.number,
        "has_next": page.has_next(),
    }
