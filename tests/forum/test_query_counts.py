"""Pages run a constant number of queries, the same for few and many rows."""

import pytest
from django.db import connection
from django.urls import reverse

from forum.models import Tag
from members.models import Expertise
from moderation.content import ModerationState
from tests.factories import logged_in
from tests.forum.factories import (
    AnswerFactory,
    CommentFactory,
    FaqEntryFactory,
    QuestionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def view_counter_queries() -> int:
    """The view counter update; on PostgreSQL also ``SET LOCAL synchronous_commit`` and the
    savepoint around both (the test runs inside a transaction)."""
    return 4 if connection.vendor == "postgresql" else 1


@pytest.fixture
def content(request, member):
    """A question with ``n`` answers, each with a comment, ``n`` comments on the question,
    ``n`` more questions with the same tag and ``n`` FAQ entries."""
    n = request.param
    tag = TagFactory(slug="sso")
    question = QuestionFactory(tags=[tag])
    for _ in range(n):
        answer = AnswerFactory(question=question)
        CommentFactory(target=answer)
        CommentFactory(target=question)
        QuestionFactory(tags=[tag])
        FaqEntryFactory()
    Expertise.objects.create(member=member, tag_slug="sso")
    return question


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_question_page(member_client, content, django_assert_num_queries):
    member_client.get(content.get_absolute_url())  # warm content types and settings caches
    # member (session and moderator flag come from the cache), the member's vote, follow,
    # feedback, held posts, the follower count and their votes on its answers (one query),
    # the view counter update. The question, answers and comments, the experts and the
    # structured data come from the cache under the question's scope (config.cache.remember).
    # One upsert more: what the member has read (the lists' unread markers).
    with django_assert_num_queries(3 + view_counter_queries()):
        response = member_client.get(content.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_question_page_for_a_moderator(content, moderator, django_assert_num_queries):
    client = logged_in(moderator)
    client.get(content.get_absolute_url())
    # member, question (+ vote, follow, feedback), tags, answers (+ votes), comments, the
    # the view counter update: moderators see held and hidden posts, never the shared page
    # data (the experts come from the cache); what they have read (one upsert).
    with django_assert_num_queries(6 + view_counter_queries()):
        assert client.get(content.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_question_page_for_visitors(client, content, no_page_cache, django_assert_num_queries):
    client.get(content.get_absolute_url())
    # question, tags, answers, comments, experts, view counter update.
    with django_assert_num_queries(5 + view_counter_queries()):
        assert client.get(content.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_question_page_from_the_page_cache(client, content, django_assert_num_queries):
    client.get(content.get_absolute_url())
    # a stored page: only the view counter update.
    with django_assert_num_queries(view_counter_queries()):
        assert client.get(content.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_question_list(member_client, content, django_assert_num_queries):
    url = reverse("forum:question-list")
    member_client.get(url)
    # member (session and moderator flag cached), paginator count, the page of questions
    # (without muted topics: a condition, no query), their tags, the unread markers; the
    # categories of the filter form come from the cache.
    with django_assert_num_queries(5):
        assert member_client.get(url, {"status": "unsolved", "sort": "active"}).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_tag_page(member_client, content, django_assert_num_queries):
    url = reverse("forum:tag", args=["sso"])
    member_client.get(url)
    # member, the tag, the unread markers; the paginator count, the category choices of the
    # filter form, the rows (shared by the members who see the visitors' list:
    # forum.views.questions) and that the member set no level anywhere (so their level for
    # the tag is the normal one) are cached by the warm-up request.
    with django_assert_num_queries(3):
        assert member_client.get(url).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_tag_page_with_own_held_questions(
    member, member_client, content, django_assert_num_queries
):
    QuestionFactory(
        author=member,
        moderation_state=ModerationState.HELD,
        tags=[Tag.objects.get(slug="sso")],
        title="My own question, awaiting approval",
    )
    url = reverse("forum:tag", args=["sso"])
    member_client.get(url)
    # member, the tag, the page of questions (the member's own held one among them), their
    # tags, the unread markers (the filter's categories and that the member set no level
    # anywhere: cached).
    with django_assert_num_queries(5):
        html = member_client.get(url).content.decode()
    assert "My own question, awaiting approval" in html


@pytest.mark.parametrize("content", [5, 40], indirect=True)
@pytest.mark.parametrize("seconds, queries", [(300, 1), (0, 2)])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_faq_page(
    member_client, content, settings, seconds, queries, language, django_assert_num_queries
):
    settings.VECHE_PAGE_CACHE_SECONDS = seconds
    # In Russian the categories' ``_ru`` columns are read too: none may be left deferred (a
    # query per category).
    member_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    url = reverse("forum:faq")
    member_client.get(url)
    # member (session and moderator flag cached), entries with their categories; the sections
    # are shared by the members who see the same categories (forum.views.faq), so with the
    # cache on the first request loaded them.
    with django_assert_num_queries(queries):
        assert member_client.get(url).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_home_section(client, content, no_page_cache, django_assert_num_queries):
    client.get("/")
    # recent questions + tags, unanswered questions + tags; idea board section (top ideas,
    # trending ideas).
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
def test_search_page(client, content, no_page_cache, django_assert_num_queries):
    url = reverse("search:search")
    client.get(url, {"q": "widget"})
    # one query per source: questions, answers (with their question), FAQ, ideas.
    with django_assert_num_queries(4):
        assert client.get(url, {"q": "widget"}).status_code == 200


@pytest.mark.parametrize("content", [5, 40], indirect=True)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/questions/",
        "/questions/tagged/sso/",
        "/faq/",
        "/ideas/",
        "/ideas/roadmap/",
        "/search/?q=widget",
    ],
)
def test_visitor_pages_from_the_page_cache_run_no_query(
    client, content, path, django_assert_num_queries
):
    assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200
