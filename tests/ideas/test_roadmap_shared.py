"""The roadmap's columns are rendered once for everyone who sees the same categories (issue
14; ideas.views.idea_roadmap_view); a change to an idea on it shows at once."""

from unittest import mock

import pytest
from django.urls import reverse

from ideas import views
from tests.factories import MemberFactory, logged_in
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory, vote

pytestmark = pytest.mark.django_db
ROADMAP = "ideas:idea-roadmap"


@pytest.fixture
def renders():
    """How often the columns were loaded."""
    spy = mock.patch.object(
        views.selectors, "idea_list_roadmap", wraps=views.selectors.idea_list_roadmap
    )
    with spy as loaded:
        yield loaded


def test_members_share_one_render_and_a_vote_shows_at_once(renders):
    idea = IdeaFactory(title="Dark mode", status="planned")
    alice, bob = logged_in(MemberFactory()), logged_in(MemberFactory())
    assert "0 votes" in alice.get(reverse(ROADMAP)).content.decode()
    assert "Dark mode" in bob.get(reverse(ROADMAP)).content.decode()
    assert renders.call_count == 1
    vote(idea, MemberFactory())
    assert "1 vote" in bob.get(reverse(ROADMAP)).content.decode()
    assert renders.call_count == 2


def test_ambassadors_and_others_get_their_own_columns(renders):
    private = IdeaCategoryFactory(slug="ambassadors-area", ambassadors_only=True)
    IdeaFactory(title="For ambassadors only", status="planned", category=private)
    ambassador = logged_in(MemberFactory(badge="ambassador"))
    assert "For ambassadors only" in ambassador.get(reverse(ROADMAP)).content.decode()
    assert (
        "For ambassadors only"
        not in logged_in(MemberFactory()).get(reverse(ROADMAP)).content.decode()
    )
    assert renders.call_count == 2


def test_each_language_has_its_own_render(renders):
    IdeaFactory(status="planned")
    english = logged_in(MemberFactory()).get(reverse(ROADMAP)).content.decode()
    russian = logged_in(MemberFactory(preferred_language="ru")).get(reverse(ROADMAP))
    assert "Planned" in english and "Planned" not in russian.content.decode()
    assert renders.call_count == 2
