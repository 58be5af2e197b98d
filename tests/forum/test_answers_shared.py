"""Members share one render of a question and its answers (issue 14): each member's own parts —
their votes, their own posts' tools, the flag links, follow and bookmark, their CSRF token —
are holes filled per request (config.jinja2.render_with_holes), so one member's page never
carries another's."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.jinja2 import render_with_holes
from forum.models import AnswerVote
from forum.views import questions as views
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(db):
    current_rule(1)
    asker, alice, bob = MemberFactory(), MemberFactory(), MemberFactory()
    question = QuestionFactory(author=asker)
    answers = [AnswerFactory(question=question, author=who) for who in (alice, bob)]
    CommentFactory(target=answers[0], author=bob, body="Bob's remark")
    return question, alice, bob, answers


class Renders:
    """How often the shared answers were rendered (the question's head is rendered with them)."""

    def __init__(self, spy: mock.MagicMock) -> None:
        self.spy = spy

    @property
    def call_count(self) -> int:
        return sum(1 for call in self.spy.call_args_list if call.args[0] == "forum/answers.html")


@pytest.fixture
def renders():
    with mock.patch.object(views, "render_with_holes", wraps=render_with_holes) as spy:
        yield Renders(spy)


def stored_both(question) -> tuple:
    [key] = [k for k in cache._cache if f"veche:question-shared:{question.pk}:" in k]  # type: ignore[attr-defined]
    return cache.get(key.split(":", 2)[2])[1]


def stored(question) -> tuple[list[str], list[tuple], str]:
    """The shared answers."""
    return stored_both(question)[1]


def test_members_share_one_render_and_it_holds_nothing_of_theirs(thread, renders):
    question, alice, bob, answers = thread
    AnswerVote.objects.create(answer=answers[1], member=alice, value=1)
    page = question.get_absolute_url()
    alice_html = logged_in(alice).get(page).content.decode()
    bob_html = logged_in(bob).get(page).content.decode()
    assert renders.call_count == 1
    parts, holes, token_mark = stored(question)
    shared = "".join(parts)
    # Made for a member who wrote and voted nothing: every vote box a form, none pressed, no
    # edit or delete; every token the mark each member's own replaces.
    assert shared.count("<form") == 2 and 'aria-pressed="true"' not in shared
    assert ">Edit<" not in shared and ">Delete<" not in shared
    assert shared.count("flag-control") == 3  # both answers and the comment
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', shared)
    assert tokens and set(tokens) == {token_mark}
    assert [name for name, _, _ in holes] == ["vote", "tools", "comment", "vote", "tools"]
    assert "Bob" in shared
    # Alice's page: her answer with her tools, her vote pressed on Bob's; Bob's the reverse.
    assert 'aria-pressed="true"' in alice_html.split(f'id="answer-{answers[1].pk}"')[1]
    assert bob_html.count(">Delete<") == alice_html.count(">Delete<") == 1
    assert ">delete<" in bob_html and ">delete<" not in alice_html  # his comment
    # Each page has its viewer's own parts in the shared frame.
    assert alice_html.count('aria-pressed="true"') == 1
    assert 'aria-pressed="true"' not in bob_html.split('id="answer-')[1]
    for html in (alice_html, bob_html):
        assert html.count('class="vote-box"') == 3  # the question's and the two answers'


def test_each_members_page_carries_their_own_token(thread):
    question, alice, bob, answers = thread
    page = question.get_absolute_url()
    logged_in(alice).get(page)  # fills the shared render
    bob_client = Client(enforce_csrf_checks=True)
    bob_client.force_login(bob)
    html = bob_client.get(page).content.decode()
    vote_form = html[html.index(f'id="vote-answer-{answers[0].pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', vote_form).group(1)
    response = bob_client.post(
        reverse("forum:vote", args=["answer", answers[0].pk]),
        {"value": "up", "csrfmiddlewaretoken": token},
    )
    assert response.status_code in (200, 302)
    assert AnswerVote.objects.get(answer=answers[0], member=bob).value == 1


def test_a_vote_renders_the_answers_again_and_other_questions_stay(thread, renders):
    question, alice, bob, answers = thread
    other = QuestionFactory()
    AnswerFactory(question=other)
    client = logged_in(bob)
    for url in (question.get_absolute_url(), other.get_absolute_url()):
        client.get(url)
    assert renders.call_count == 2
    client.post(reverse("forum:vote", args=["answer", answers[0].pk]), {"value": "up"})
    html = client.get(question.get_absolute_url()).content.decode()
    client.get(other.get_absolute_url())
    assert renders.call_count == 3  # the question voted on, not the other one
    box = html[html.index(f'id="vote-answer-{answers[0].pk}"') :]
    assert 'aria-pressed="true"' in box[: box.index("</div>")]


def test_who_may_not_comment_gets_their_own_render(thread, renders):
    question, alice, bob, answers = thread
    silenced = MemberFactory(silenced_until=timezone.now() + timedelta(days=2))
    add = reverse("forum:comment-create", args=["answer", answers[0].pk])
    assert add in logged_in(alice).get(question.get_absolute_url()).content.decode()
    assert add not in logged_in(silenced).get(question.get_absolute_url()).content.decode()
    assert renders.call_count == 2


def test_the_asker_moderators_and_visitors_do_not_use_it(thread, renders, moderator):
    question, alice, bob, answers = thread
    for client in (logged_in(question.author), logged_in(moderator), Client()):
        assert client.get(question.get_absolute_url()).status_code == 200
    assert renders.call_count == 0


def test_nothing_a_post_says_is_taken_for_a_hole(thread):
    """A hole's mark is a random token of one render: text in a post stays text."""
    question, alice, bob, answers = thread
    looks_like = "0123456789abcdef0123456789abcdef {{ hole('vote', 'answer', 1) }}"
    AnswerFactory(question=question, author=alice, body=looks_like)
    logged_in(alice).get(question.get_absolute_url())
    html = logged_in(bob).get(question.get_absolute_url()).content.decode()
    assert "0123456789abcdef0123456789abcdef {{ hole(" in html
    assert html.count('class="vote-box"') == 4


def test_a_render_made_while_an_answer_was_hidden_is_not_served_after(thread):
    """The data was read, then an answer was hidden before the shared render was looked up
    and stored: the next member must not see the answer (the render is kept under the name of
    the data's load; the versions alone would already be the new ones)."""
    question, alice, bob, answers = thread
    target = AnswerFactory(question=question, author=alice, body="Soon hidden text")
    calls = []
    shared_by_members = views._shared_by_members

    def hide_then_share(request, context):
        if not calls:  # after the question's data was read, before the render is looked up
            type(target).objects.filter(pk=target.pk).update(
                moderation_state=ModerationState.HIDDEN
            )
        calls.append(1)
        return shared_by_members(request, context)

    with mock.patch.object(views, "_shared_by_members", side_effect=hide_then_share):
        logged_in(alice).get(question.get_absolute_url())  # read before the change
        html = logged_in(bob).get(question.get_absolute_url()).content.decode()
    assert "Soon hidden text" not in html
    assert len(calls) == 2


def test_the_question_is_shared_too_with_each_members_follow_bookmark_and_vote(thread, renders):
    question, alice, bob, answers = thread
    CommentFactory(target=question, author=alice, body="Alice asks back")
    page = question.get_absolute_url()
    alice_client = logged_in(alice)
    alice_client.post(reverse("forum:question-follow", args=[question.pk]))
    alice_client.post(reverse("forum:vote", args=["question", question.pk]), {"value": "up"})
    alice_html = alice_client.get(page).content.decode()
    bob_html = logged_in(bob).get(page).content.decode()
    assert renders.call_count == 1
    (parts, holes, token_mark), _answers, jsonld, _experts = stored_both(question)
    assert '"@type": "QAPage"' in jsonld and question.title in jsonld  # kept with the render
    shared = "".join(parts)
    # The head as no member in particular sees it: the follow form is a hole, no vote pressed,
    # no one's tools; the token is the mark.
    assert "Unfollow" not in shared and ">Follow<" not in shared and "Bookmark" not in shared
    assert 'aria-pressed="true"' not in shared and ">delete<" not in shared
    assert set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', shared)) == {token_mark}
    assert [name for name, _, _ in holes] == ["vote", "tools", "member", "comment"]
    head = {
        who: html[: html.index('class="answers"')]
        for who, html in (("alice", alice_html), ("bob", bob_html))
    }
    assert ">Unfollow<" in head["alice"] and ">Follow<" not in head["alice"]
    assert ">Follow<" in head["bob"] and ">Unfollow<" not in head["bob"]
    assert ">Bookmark<" in head["bob"]
    box = head["alice"][head["alice"].index(f'id="vote-question-{question.pk}"') :]
    assert 'aria-pressed="true"' in box[: box.index("</div>")]
    assert 'aria-pressed="true"' not in head["bob"]
    assert ">delete<" in head["alice"] and ">delete<" not in head["bob"]  # her comment
    assert "Alice asks back" in head["bob"]


def _frozen_at(instant):
    """``datetime`` whose ``now`` is ``instant``: for Django's ``naturaltime`` of recent
    posts (``config.jinja2.naturaltime`` leaves a date less than a day away to it)."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    return Frozen


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "TOKEN", html)
    return re.sub(r"\d+ views?", "VIEWS", html)  # counted per request


def test_a_members_page_from_the_shared_render_is_the_page_rendered_for_them(
    thread, settings, moderator, renders
):
    """A member's page from the render shared by members, their holes filled
    (forum/answers_holes.html renders one part of one post with the macros of
    forum/_posts.html), is exactly the page rendered for them with the caches off: their own
    posts, votes and comments, and others'. A moderator's page (never shared) too."""
    question, alice, bob, answers = thread
    AnswerVote.objects.create(answer=answers[1], member=alice, value=1)
    CommentFactory(target=question, author=alice, body="Alice asks back")
    CommentFactory(target=answers[1], author=alice, body="Alice adds")
    page = question.get_absolute_url()
    # "now" and "a second ago" at one instant: the two renders are seconds apart on a slow host.
    instant = timezone.now()
    with mock.patch("django.contrib.humanize.templatetags.humanize.datetime", _frozen_at(instant)):
        for member in (alice, bob, moderator):
            client = logged_in(member)
            settings.VECHE_PAGE_CACHE_SECONDS = 300
            cache.clear()
            logged_in(MemberFactory()).get(page)  # another member fills the shared render
            made = renders.call_count
            shared = client.get(page).content.decode()
            if member != moderator:  # the shared render was used, not made again for them
                assert renders.call_count == made == 1 + [alice, bob].index(member)
            settings.VECHE_PAGE_CACHE_SECONDS = 0
            cache.clear()
            direct = client.get(page).content.decode()
            assert _without_tokens(shared) == _without_tokens(direct)
