"""Question list rows as each viewer sees them (visitors' list pages are shared under the
``questions`` scope, config.cache): a member's held questions, and what moderators
see, never reach anyone else, and changes show at once."""

import pytest
from django.test import Client

from moderation.content import ModerationState
from moderation.services.content import content_set_state
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory

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
