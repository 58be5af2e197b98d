"""Members who see the visitors' list share one render of its rows (issue 14): each member's
unread markers are holes filled per request (config.jinja2.render_with_holes), so one
member's list never carries another's markers, and a change to a row shows at once."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from config.jinja2 import render_with_holes
from forum.models import Question
from forum.views import questions as views
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db


class Renders:
    def __init__(self, spy: mock.MagicMock) -> None:
        self.spy = spy

    @property
    def call_count(self) -> int:
        """How often shared rows were rendered (the question page's answers are too)."""
        return sum(call.args[0] == "forum/question_rows.html" for call in self.spy.call_args_list)


@pytest.fixture
def renders():
    with mock.patch.object(views, "render_with_holes", wraps=render_with_holes) as spy:
        yield Renders(spy)


def row(html: str, question) -> str:
    start = html.index(f'id="question-{question.pk}"')
    return html[start : html.index("</article>", start)]


def votes(html: str, question) -> str:
    shown = re.search(r'title="Votes">(.*?)</span>', row(html, question)).group(1)
    return re.sub(r"<[^>]+>", "", shown)


def test_members_share_one_render_and_each_sees_only_their_own_markers(renders):
    current_rule(1)
    alice, bob = MemberFactory(), MemberFactory()
    read, untouched = QuestionFactory(title="Read by Alice"), QuestionFactory(title="Untouched")
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_client.get(read.get_absolute_url())  # Alice read it with no answer
    AnswerFactory(question=read)
    AnswerFactory(question=read)
    Question.objects.filter(pk=read.pk).update(answer_count=2)  # (the factory leaves it)
    url = reverse("forum:question-list")
    alice_html = alice_client.get(url).content.decode()
    bob_html = bob_client.get(url).content.decode()
    assert renders.call_count == 1  # one render for both
    assert '<span class="badge badge-unread">2 new</span>' in row(alice_html, read)
    assert "badge-unread" not in bob_html
    assert "badge-unread" not in row(alice_html, untouched)
    # Apart from Alice's marker and each member's own header, the rows are the same.
    rows = [
        html.split('<div class="post-list">')[1].split("RSS")[0] for html in (alice_html, bob_html)
    ]
    assert rows[0].replace(' <span class="badge badge-unread">2 new</span>', "") == rows[1]
    # Once Alice read the answers her marker goes; the shared render stays.
    alice_client.get(read.get_absolute_url())
    assert "badge-unread" not in alice_client.get(url).content.decode()
    assert renders.call_count == 1


def test_a_vote_shows_at_once_and_lists_without_that_question_stay(renders):
    current_rule(1)
    voter, reader = MemberFactory(), MemberFactory()
    sso, billing = TagFactory(slug="sso"), TagFactory(slug="billing")
    voted, other = QuestionFactory(tags=[sso]), QuestionFactory(tags=[billing])
    reader_client = logged_in(reader)
    sso_url, billing_url = (reverse("forum:tag", args=[tag.slug]) for tag in (sso, billing))
    assert votes(reader_client.get(sso_url).content.decode(), voted) == "0 votes"
    assert votes(reader_client.get(billing_url).content.decode(), other) == "0 votes"
    assert renders.call_count == 2
    response = logged_in(voter).post(
        reverse("forum:vote", args=["question", voted.pk]), {"value": "up"}
    )
    assert response.status_code in (200, 302)
    assert votes(reader_client.get(sso_url).content.decode(), voted) == "1 vote"
    assert votes(reader_client.get(billing_url).content.decode(), other) == "0 votes"
    assert renders.call_count == 3  # the list showing the voted question, not the other


def test_a_new_question_shows_at_once(renders):
    reader = logged_in(MemberFactory())
    url = reverse("forum:question-list")
    QuestionFactory(title="The first question")
    reader.get(url)
    QuestionFactory(title="A brand new question")
    assert "A brand new question" in reader.get(url).content.decode()
    assert renders.call_count == 2


def test_each_language_has_its_own_render(renders):
    QuestionFactory()
    url = reverse("forum:question-list")
    english = logged_in(MemberFactory()).get(url).content.decode()
    russian = logged_in(MemberFactory(preferred_language="ru")).get(url).content.decode()
    assert "0 views" in english and "0 просмотров" in russian
    assert renders.call_count == 2


def test_who_does_not_see_the_visitors_list_renders_their_own(renders, moderator):
    """Moderators, members with questions awaiting approval, and members who muted a topic."""
    current_rule(1)
    held_author, muter = MemberFactory(), MemberFactory()
    muted = TagFactory(slug="muted")
    QuestionFactory(title="Public question")
    QuestionFactory(title="In a muted topic", tags=[muted])
    QuestionFactory(
        author=held_author, title="Held question", moderation_state=ModerationState.HELD
    )
    logged_in(muter).post(reverse("forum:tag-watch", args=[muted.slug]), {"level": "muted"})
    url = reverse("forum:question-list")
    assert "Held question" in logged_in(held_author).get(url).content.decode()
    assert "In a muted topic" not in logged_in(muter).get(url).content.decode()
    assert "Held question" in logged_in(moderator).get(url).content.decode()
    assert renders.call_count == 0
    # A member who sees the visitors' list: the held question is not in it.
    html = logged_in(MemberFactory()).get(url).content.decode()
    assert "Public question" in html and "In a muted topic" in html
    assert "Held question" not in html
    assert renders.call_count == 1


def test_every_order_of_a_list_shares_its_total(client):
    """The total is kept under the list's query without its order: the other sorts of a list
    (and their pages) count nothing again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        QuestionFactory()
    url = reverse("forum:question-list")
    client.get(url)
    for sort in ("active", "votes"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"sort": sort}).status_code == 200
        assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_only_declared_queries_are_shared_so_free_text_cannot_fill_the_cache(renders):
    """``?tag=`` takes any text: a member's list with it renders its own rows, stored
    nowhere; the declared sorts, statuses and pages 1-99 are shared."""
    from django.core.cache import cache

    QuestionFactory()
    member = logged_in(MemberFactory())
    url = reverse("forum:question-list")
    for text in ("anything", "something else", "a third"):
        assert member.get(url, {"tag": text}).status_code == 200
    assert member.get(url, {"page": "1000"}).status_code == 200
    assert renders.call_count == 0
    assert not [key for key in cache._cache if "veche:rows:" in key]  # type: ignore[attr-defined]
    member.get(url, {"sort": "votes", "status": "unanswered", "page": "1"})
    assert renders.call_count == 1
