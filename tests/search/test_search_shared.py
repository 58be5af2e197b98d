"""Members who find what visitors find share the visitors' search hits (issue 14): one search
for the query, kept under the visitors' page scopes, within the view's free-text budget;
members with posts awaiting approval, moderators, staff and ambassadors search their own."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from forum.services import answers, questions
from members.models import Member
from moderation.content import ModerationState
from moderation.models import QueueItem
from moderation.services import content_hide, queue_item_approve
from search import selectors
from search import views as search_views
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import CategoryFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


@pytest.fixture
def searches():
    """How often a search ran (a shared hit runs none)."""
    with mock.patch.object(search_views, "search_page", wraps=selectors.search_page) as spy:
        yield spy


@pytest.fixture
def thread(db):
    category = CategoryFactory(name="Billing", slug="billing")
    asker = MemberFactory()
    question = questions.question_create(
        author=asker, category=category, title="Invoice export fails", body="An invoice error."
    )
    return category, question


def _stored() -> list[str]:
    return [key for key in cache._cache if "veche:search:" in key]  # type: ignore[attr-defined]


def test_members_share_one_search_of_the_visitors_hits(thread, searches):
    alice, bob = logged_in(MemberFactory()), logged_in(MemberFactory())
    first = alice.get(URL, {"q": "invoice"}).content.decode()
    second = bob.get(URL, {"q": "invoice"}).content.decode()
    assert searches.call_count == 1
    for html in (first, second):
        assert "Invoice export fails" in html and "1 result" in html
    assert len(_stored()) == 1
    # Another page, type or query is its own search.
    bob.get(URL, {"q": "invoice", "type": "question"})
    assert searches.call_count == 2


def test_a_new_question_shows_at_once(thread, searches):
    category, _question = thread
    alice = logged_in(MemberFactory())
    assert "1 result" in alice.get(URL, {"q": "invoice"}).content.decode()
    questions.question_create(
        author=MemberFactory(), category=category, title="Invoice totals", body="Invoice sums."
    )
    assert "2 results" in logged_in(MemberFactory()).get(URL, {"q": "invoice"}).content.decode()


def test_an_answer_awaiting_approval_is_found_once_approved_and_gone_once_hidden(
    thread, searches, moderator, settings
):
    """Search finds published posts (moderators find the others too): a member's own answer
    awaiting approval is on the question page, not in search, so their hits are everyone's.
    A stored search names the questions its hits show: hiding a shown answer searches again
    at once, for members and visitors alike."""
    settings.VECHE_TRUST_NEW_HELD_POSTS = 3
    _category, question = thread
    author = MemberFactory(trust_level=Member.TrustLevel.NEW)
    held = answers.answer_create(
        author=author, question=question, body="My wobbly tip awaits approval"
    )
    assert held.moderation_state == ModerationState.HELD
    plain, own, visitor = logged_in(MemberFactory()), logged_in(author), Client()
    assert "awaits approval" not in plain.get(URL, {"q": "wobbly"}).content.decode()
    assert "awaits approval" not in own.get(URL, {"q": "wobbly"}).content.decode()
    assert searches.call_count == 1  # the author shared the other member's search
    assert "awaits approval" in logged_in(moderator).get(URL, {"q": "wobbly"}).content.decode()
    assert "awaits approval" in own.get(question.get_absolute_url()).content.decode()
    queue_item_approve(actor=moderator, item=QueueItem.objects.get(target_id=held.pk))
    # A query stored before the answer was published finds it once the value expires (as
    # the visitors' page); a query not stored finds it at once.
    for client in (plain, own, visitor):
        assert "awaits approval" in client.get(URL, {"q": "wobbly tip"}).content.decode()
    held.refresh_from_db()
    content_hide(actor=moderator, target=held, rule=current_rule(1))
    for client in (plain, own, visitor):
        assert "awaits approval" not in client.get(URL, {"q": "wobbly tip"}).content.decode()


def test_moderators_staff_and_ambassadors_search_their_own(thread, searches, moderator, staff):
    ambassador = MemberFactory(badge="ambassador")
    for who in (moderator, staff, ambassador):
        logged_in(who).get(URL, {"q": "invoice"})
    assert [call.kwargs["viewer"].pk for call in searches.call_args_list] == [
        moderator.pk,
        staff.pk,
        ambassador.pk,
    ]
    assert _stored() == []


def test_free_text_beyond_the_budget_is_searched_but_not_stored(thread, searches):
    member = logged_in(MemberFactory())
    with mock.patch("config.cache.FREE_TEXT_PAGES", 2):
        for word in ("invoice", "export", "fails", "error"):
            assert member.get(URL, {"q": word}).status_code == 200
    assert len(_stored()) == 2
    # An undeclared parameter: searched, never stored.
    member.get(URL, {"q": "invoice", "sort": "x"})
    assert len(_stored()) == 2
    assert searches.call_count == 5


def test_answers_found_by_a_member_are_the_published_ones(thread, staff):
    _category, question = thread
    answers.answer_create(author=staff, question=question, body="Flip the wobbly toggle.")
    html = logged_in(MemberFactory()).get(URL, {"q": "wobbly"}).content.decode()
    assert "1 result" in html and "Invoice export fails" in html
