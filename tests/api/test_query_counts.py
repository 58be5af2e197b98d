"""Every list endpoint runs a fixed number of queries, the same for 2 rows as for 20."""

import pytest
from django.db import connection

from api.services import token_create
from ideas.models import IdeaStatusChange
from members.models import Expertise
from moderation.services import content_held
from tests.api.conftest import ApiClient
from tests.factories import MemberFactory, ModeratorFactory
from tests.forum.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    FaqEntryFactory,
    QuestionFactory,
    TagFactory,
)
from tests.ideas.factories import IdeaFactory
from tests.moderation.factories import new_member

pytestmark = pytest.mark.django_db

# Every token request: the token with its member (one query). The last-use update is left
# out: the warm-up request wrote it less than a minute ago.
TOKEN = 1


@pytest.fixture(params=[2, 20])
def rows(request, category):
    """``n`` of everything a list shows: questions with tags, ideas, FAQ entries, tags,
    members with expertise, held posts in the moderation queue."""
    n = request.param
    for _ in range(n):
        CategoryFactory()
        tag = TagFactory()
        question = QuestionFactory(category=category, tags=[tag])
        AnswerFactory(question=question)
        CommentFactory(target=question)
        idea = IdeaFactory(category=category)
        IdeaStatusChange.objects.create(idea=idea, from_status="new", to_status="planned", note="x")
        FaqEntryFactory(category=category)
        member = MemberFactory()
        Expertise.objects.create(member=member, tag_slug=tag.slug)
        held = QuestionFactory(author=new_member(), category=category, moderation_state="held")
        content_held(target=held, author=held.author, reasons=["First posts are reviewed."])
    return n


def _client(member, scopes=("read",)) -> ApiClient:
    _token, secret = token_create(actor=member, name="counts", scopes=list(scopes))
    return ApiClient(secret)


# (path, params, queries after the token's): each with what it runs.
LISTS = [
    # the questions page, their tags
    ("/questions", {}, 2),
    ("/questions", {"sort": "votes", "status": "unsolved"}, 2),
    # the category filter's choices (django-filter validates the slug), questions, tags
    ("/questions", {"category": "billing"}, 3),
    # ideas (with author and category)
    ("/ideas", {}, 1),
    ("/ideas", {"sort": "newest"}, 1),
    # FAQ entries with their categories
    ("/faq", {}, 1),
    ("/tags", {}, 1),
    ("/categories", {}, 1),
    # members, their expertise
    ("/members", {}, 2),
    ("/members", {"sort": "-reputation"}, 2),
]


@pytest.mark.parametrize(("path", "params", "queries"), LISTS)
def test_list_endpoints(rows, path, params, queries, django_assert_num_queries):
    api = _client(MemberFactory())
    assert api.get(path, params).status_code == 200  # warm caches, write the last use
    with django_assert_num_queries(TOKEN + queries):
        response = api.get(path, {**params, "limit": 20})
    assert response.status_code == 200
    body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    assert len(results) >= min(rows, 2)


def test_the_next_page_costs_what_the_first_does(rows, django_assert_num_queries):
    api = _client(MemberFactory())
    first = api.get("/questions", {"limit": 1}).json()
    with django_assert_num_queries(TOKEN + 2):
        second = api.get("/questions", {"limit": 1, "cursor": first["next_cursor"]})
    assert second.json()["results"][0]["id"] != first["results"][0]["id"]


def test_the_moderation_queue(rows, django_assert_num_queries):
    api = _client(ModeratorFactory(), ["read", "moderate"])
    api.get("/moderation/queue")
    # items with their members; the held questions (one query per kind of target)
    with django_assert_num_queries(TOKEN + 2):
        response = api.get("/moderation/queue", {"limit": 20})
    assert len(response.json()["results"]) == min(rows, 20)


def test_a_question_with_its_answers(rows, django_assert_num_queries):
    question = QuestionFactory()
    for _ in range(rows):
        CommentFactory(target=AnswerFactory(question=question))
    api = _client(MemberFactory())
    api.get(f"/questions/{question.pk}")
    # the viewer's votes, follow, held posts and votes on the answers (one query); the
    # question, answers and comments come from the cache, as for the page
    with django_assert_num_queries(TOKEN + 1):
        response = api.get(f"/questions/{question.pk}")
    assert len(response.json()["answers"]) == rows


def test_search(rows, django_assert_num_queries, django_assert_max_num_queries):
    """One ranked query per search source (questions, answers, FAQ, ideas), whatever the
    number of hits. PostgreSQL may also read the planner's row estimates of the sources'
    tables (``search.ranking``), so there it is a ceiling."""
    api = _client(MemberFactory())
    api.get("/search", {"q": "configure widget"})
    if connection.vendor == "postgresql":
        counting = django_assert_max_num_queries(TOKEN + 8)
    else:
        counting = django_assert_num_queries(TOKEN + 4)
    with counting:
        response = api.get("/search", {"q": "configure widget"})
    assert len(response.json()["results"]) >= min(rows, 2)
