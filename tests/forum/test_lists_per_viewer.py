"""Question list rows as each viewer sees them (visitors' list pages are shared under the
``questions`` scope, config.cache): a member's held questions, and what moderators
see, never reach anyone else, and changes show at once."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.models import Question, TopicWatch
from members.watching import WatchLevel
from moderation.content import ModerationState
from moderation.services.content import content_set_state
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

HELD_TITLE = "Held question awaiting a moderator"


@pytest.fixture
def lists(db):
    author, other = MemberFactory(), MemberFactory()
    QuestionFactory(title="A published question everybody sees")
    held = QuestionFactory(author=author, title=HELD_TITLE, moderation_state=ModerationState.HELD)
    return author, other, held


def test_own_held_questions_show_to_their_author_only(lists, moderator):
    author, other, held = lists
    other_client, author_client = logged_in(other), logged_in(author)
    for _ in range(2):  # the second time from the shared rows
        assert HELD_TITLE not in other_client.get("/questions/").content.decode()
        assert HELD_TITLE in author_client.get("/questions/").content.decode()
    assert HELD_TITLE in logged_in(moderator).get("/questions/").content.decode()
    assert HELD_TITLE not in other_client.get("/questions/").content.decode()
    assert HELD_TITLE not in Client().get("/questions/").content.decode()


def test_approval_and_new_questions_show_at_once(lists):
    author, other, held = lists
    client = logged_in(other)
    client.get("/questions/")
    content_set_state(held, ModerationState.PUBLISHED)  # outside any request
    assert HELD_TITLE in client.get("/questions/").content.decode()
    QuestionFactory(title="Asked a moment ago")
    assert "Asked a moment ago" in client.get("/questions/").content.decode()


def test_private_categories_stay_with_their_kind(lists):
    QuestionFactory(title="For ambassadors only", category=CategoryFactory(ambassadors_only=True))
    ambassador = logged_in(MemberFactory(badge="ambassador"))
    assert "For ambassadors only" in ambassador.get("/questions/").content.decode()
    member = logged_in(MemberFactory())
    assert "For ambassadors only" not in member.get("/questions/").content.decode()


def test_an_empty_list_says_so(db, member):
    html = logged_in(member).get("/questions/?status=unanswered").content.decode()
    assert "No questions here yet." in html


def test_the_filters_categories_are_each_kinds_own_and_new_ones_show_at_once(lists):
    """The filter's categories come from the cache (forum.selectors.questions)."""
    private = CategoryFactory(name="Ambassadors' lounge", ambassadors_only=True)
    ambassador = logged_in(MemberFactory(badge="ambassador"))
    member, visitor = logged_in(MemberFactory()), Client()
    for _ in range(2):  # the second time from the cache
        assert f'<option value="{private.slug}">' in ambassador.get("/questions/").content.decode()
        for client in (member, visitor):
            assert private.slug not in client.get("/questions/?sort=votes").content.decode()
    opened = CategoryFactory(name="Opened a moment ago")
    html = member.get(f"/questions/?category={opened.slug}").content.decode()
    assert f'<option value="{opened.slug}" selected>Opened a moment ago</option>' in html


def _pages(client: Client, url: str = "/questions/") -> str:
    html = client.get(url).content.decode()
    found = re.search(r"Page 1 of (\d+)", html)
    return found.group(1) if found else "1"


def test_members_share_the_visitors_total_plus_their_own_held_questions(db):
    """A list's total for a member who muted nothing is the visitors' (counted once for all
    of them) and their own questions awaiting approval (forum.views.questions._list_total)."""
    QuestionFactory.create_batch(20)
    author, other = MemberFactory(), MemberFactory()
    QuestionFactory(author=author, moderation_state=ModerationState.HELD)
    visitor = Client()
    assert _pages(visitor) == "1"  # counts the visitors' total
    with CaptureQueriesContext(connection) as queries:
        assert _pages(logged_in(other)) == "1"
    # The other member counted nothing over the whole list: the visitors' total served them.
    assert not [q for q in queries if "COUNT(" in q["sql"]]
    assert _pages(logged_in(author)) == "2"  # the 20 and their own held one
    QuestionFactory(author=author, moderation_state=ModerationState.HELD)
    assert _pages(logged_in(author), "/questions/?sort=votes") == "2"
    # Approved: now everybody's, counted once.
    Question.objects.filter(author=author).update(moderation_state=ModerationState.PUBLISHED)
    assert _pages(visitor) == _pages(logged_in(other)) == _pages(logged_in(author)) == "2"


def test_a_member_who_muted_a_tag_keeps_their_own_total(db):
    muted = TagFactory()
    QuestionFactory.create_batch(19)
    QuestionFactory.create_batch(2, tags=[muted])
    member = MemberFactory()
    TopicWatch.objects.create(member=member, tag=muted, level=WatchLevel.MUTED)
    assert _pages(Client()) == "2"
    assert _pages(logged_in(member)) == "1"
