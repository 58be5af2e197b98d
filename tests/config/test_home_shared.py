"""Whoever gets the home page's blocks as visitors do shares one render of them (issue 14;
config.views.home_view): members who are no moderator, see no ambassadors' categories and
muted nothing. Others render their own; a change to what the blocks show shows at once."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import views
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory, TagFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """How often the blocks were rendered (config.views.home_sections loads them)."""
    with mock.patch.object(views, "home_sections", wraps=views.home_sections) as spy:
        yield spy


def test_members_share_one_render_of_the_blocks(renders):
    QuestionFactory(title="A shared question")
    alice, bob = logged_in(MemberFactory()), logged_in(MemberFactory())
    assert "A shared question" in alice.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "A shared question" in bob.get("/").content.decode()
    assert renders.call_count == 1
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "forum_question" not in read and "forum_idea" not in read  # Bob's own rows only


def test_a_new_question_or_idea_shows_at_once(renders):
    member = logged_in(MemberFactory())
    member.get("/")
    QuestionFactory(title="Asked a moment ago")
    IdeaFactory(title="An idea of a moment ago")
    html = member.get("/").content.decode()
    assert "Asked a moment ago" in html and "An idea of a moment ago" in html
    assert renders.call_count == 2


def test_each_language_has_its_own_render(renders):
    english = logged_in(MemberFactory()).get("/").content.decode()
    russian = logged_in(MemberFactory(preferred_language="ru")).get("/").content.decode()
    assert "Active questions" in english and "Active questions" not in russian
    assert renders.call_count == 2


def test_who_gets_other_blocks_renders_their_own(renders, moderator):
    private = CategoryFactory(ambassadors_only=True)
    QuestionFactory(title="For ambassadors only", category=private)
    muted = TagFactory(slug="muted")
    QuestionFactory(title="In a muted topic", tags=[muted])
    ambassador, muter = MemberFactory(badge="ambassador"), MemberFactory()
    logged_in(muter).post(reverse("forum:tag-watch", args=[muted.slug]), {"level": "muted"})
    assert "For ambassadors only" in logged_in(ambassador).get("/").content.decode()
    assert "In a muted topic" not in logged_in(muter).get("/").content.decode()
    assert logged_in(moderator).get("/").status_code == 200
    assert renders.call_count == 3
    # A member who gets the visitors' blocks: neither the private nor the muted exclusion.
    html = logged_in(MemberFactory()).get("/").content.decode()
    assert "For ambassadors only" not in html and "In a muted topic" in html
    assert renders.call_count == 4
