"""A visitor's page of the main question list comes from a query compiled once per process
(``forum.selectors.questions.visitor_list_rows``): the same rows, in the same order, as the
list's filter gives them, for every status, order, category and page; what visitors may not
see never appears; anything else goes the filter's way."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.filters_qa import QuestionFilter
from forum.models import Question
from forum.selectors import questions as selectors
from forum.views.questions import PAGE_SIZE
from moderation.content import ModerationState
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

STATUSES = ["", "unanswered", "unsolved", "solved"]
SORTS = ["newest", "active", "votes"]


@pytest.fixture
def community():
    general, billing = CategoryFactory(slug="general"), CategoryFactory(slug="billing")
    private = CategoryFactory(slug="ambassadors", ambassadors_only=True)
    tag = TagFactory(slug="sso", name="sso")
    now = timezone.now()
    for n in range(2 * PAGE_SIZE + 5):
        question = QuestionFactory(
            category=billing if n % 3 == 0 else general,
            tags=[tag] if n % 4 == 0 else [],
            score=(n * 7) % 11,
            last_activity_at=now - timedelta(minutes=(n * 13) % 50),
        )
        Question.objects.filter(pk=question.pk).update(created_at=now - timedelta(hours=n))
        if n % 5 == 0:
            answer = AnswerFactory(question=question)
            Question.objects.filter(pk=question.pk).update(answer_count=1)
            if n % 10 == 0:
                Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    hidden = [
        QuestionFactory(category=general, moderation_state=ModerationState.HELD),
        QuestionFactory(category=general, deleted_at=now),
        QuestionFactory(category=private),
    ]
    return {"general": general, "billing": billing, "hidden": {q.pk for q in hidden}}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("sort", SORTS)
def test_every_status_order_category_and_page_gives_the_filters_rows(community, status, sort):
    from forum.models import Category

    for category in (None, community["billing"]):
        for bottom, top in ((0, PAGE_SIZE), (PAGE_SIZE, 2 * PAGE_SIZE), (2 * PAGE_SIZE, 50)):
            data = QueryDict(mutable=True)
            data.update({"status": status, "sort": sort})
            if category is not None:
                data["category"] = category.slug
            filterset = QuestionFilter(
                data,
                queryset=selectors.question_list_for(AnonymousUser()),
                categories=Category.objects.filter(ambassadors_only=False),
            )
            expected = [q.pk for q in filterset.qs[bottom:top]]
            rows = selectors.visitor_list_rows(
                status=status,
                sort=sort,
                category_id=category.pk if category else None,
                bottom=bottom,
                top=top,
            )
            assert [q.pk for q in rows] == expected
            assert not {q.pk for q in rows} & community["hidden"]
            assert all(q.shown_tags == list(q.tags.all()) for q in rows)


def test_a_visitors_list_page_is_read_compiled_in_two_queries(client, community):
    url = reverse("forum:question-list")
    client.get(url, {"page": 2, "sort": "votes"})  # compiles it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page": 2, "sort": "votes", "status": "unsolved"})
        response = client.get(url, {"page": 2, "sort": "votes"})
    assert response.status_code == 200
    key = ("", "votes", False, PAGE_SIZE, 2 * PAGE_SIZE)
    assert key in selectors._visitor_list_reads
    rows = selectors.visitor_list_rows(
        status="", sort="votes", category_id=None, bottom=PAGE_SIZE, top=2 * PAGE_SIZE
    )
    html = response.content.decode()
    positions = [html.index(f'id="question-{q.pk}"') for q in rows]
    assert positions == sorted(positions) and len(rows) == PAGE_SIZE
    for pk in community["hidden"]:
        assert f'id="question-{pk}"' not in html
    # rows and tags per page; the categories and the count come from the cache
    assert len(captured.captured_queries) <= 2 * 2


def test_a_tag_filter_needs_staff_and_members_go_the_filters_way(client, member, community):
    from django.test import Client

    url = reverse("forum:question-list")
    selectors._visitor_list_reads.clear()
    for query in ({"tag": "sso"}, {"status": "needs-staff"}, {"status": "bogus"}):
        assert client.get(url, query).status_code in (200, 400)
    signed_in = Client()
    signed_in.force_login(member)
    assert signed_in.get(url).status_code == 200
    assert selectors._visitor_list_reads == {}
    assert client.get(url).status_code == 200
    assert len(selectors._visitor_list_reads) == 1


def test_needs_a_staff_reply_is_never_compiled(community):
    """Its SQL holds the time: a compiled read of it would keep one moment's list."""
    rows = selectors.visitor_list_rows(
        status="needs-staff", sort="newest", category_id=None, bottom=0, top=PAGE_SIZE
    )
    assert (
        rows is None
        and selectors._visitor_list_reads.get(("needs-staff", "newest", False, 0, PAGE_SIZE))
        is None
    )


def test_past_the_kept_reads_a_page_goes_the_filters_way(client, community, monkeypatch):
    monkeypatch.setattr(selectors, "VISITOR_LIST_READS", 0)
    selectors._visitor_list_reads.clear()
    assert (
        selectors.visitor_list_rows(
            status="", sort="newest", category_id=None, bottom=0, top=PAGE_SIZE
        )
        is None
    )
    response = client.get(reverse("forum:question-list"))
    assert response.status_code == 200 and selectors._visitor_list_reads == {}
