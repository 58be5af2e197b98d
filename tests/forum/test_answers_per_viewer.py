"""The answers of a question page as each viewer sees them (visitors' pages are shared and
the question page's data is cached under its scope): nobody ever sees another viewer's votes, tools,
accept buttons, moderator controls or hidden posts, and changes show at once."""

import re

import pytest
from django.test import Client

from forum.models import AnswerVote
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db


def vote_box(html: str, answer) -> str:
    start = html.index(f'id="vote-answer-{answer.pk}"')
    return html[start : html.index("</div>", start)]


def tools(html: str, kind: str, pk: int) -> str:
    start = html.index(f'id="tools-{kind}-{pk}"')
    return html[start : html.index("</p>", start)]


@pytest.fixture
def thread(db):
    current_rule(1)
    asker, alice, bob = MemberFactory(), MemberFactory(), MemberFactory()
    question = QuestionFactory(author=asker)
    answers = {
        who: AnswerFactory(question=question, author=who, body=f"By {who.username}")
        for who in (alice, bob)
    }
    comment = CommentFactory(target=answers[alice], author=bob, body="Bob's remark")
    return question, asker, alice, bob, answers, comment


def test_each_member_sees_their_own_tools_and_votes_after_another_filled_the_cache(thread):
    question, asker, alice, bob, answers, comment = thread
    AnswerVote.objects.create(answer=answers[alice], member=bob, value=1)
    page = question.get_absolute_url()
    alice_client, bob_client = logged_in(alice), logged_in(bob)  # (signing in saves a member)
    alice_html = alice_client.get(page).content.decode()
    bob_response = bob_client.get(page)
    bob_html = bob_response.content.decode()

    # Bob's own answer: no vote buttons, his edit and delete, no flag; Alice's: the reverse.
    assert "<button" not in vote_box(bob_html, answers[bob])
    own = tools(bob_html, "answer", answers[bob].pk)
    assert "Edit" in own and "Delete" in own and "flag-control" not in own
    theirs = tools(bob_html, "answer", answers[alice].pk)
    assert "Edit" not in theirs and "flag-control" in theirs
    # Bob's up-vote on Alice's answer is pressed for him only.
    assert 'value="none" aria-pressed="true"' in vote_box(bob_html, answers[alice])
    assert 'aria-pressed="true"' not in vote_box(alice_html, answers[bob])
    # Bob's comment carries his tools; for Alice it carries a flag control.
    assert "delete" in tools(bob_html, "comment", comment.pk)
    assert "delete" not in tools(alice_html, "comment", comment.pk)
    assert "flag-control" in tools(alice_html, "comment", comment.pk)
    # Alice's page is personalized for Alice.
    assert "<button" not in vote_box(alice_html, answers[alice])
    assert "Edit" in tools(alice_html, "answer", answers[alice].pk)
    for html in (alice_html, bob_html):
        assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)


def test_accept_buttons_and_moderator_controls_follow_the_viewer(thread, moderator):
    question, asker, alice, bob, answers, comment = thread
    page = question.get_absolute_url()
    assert "Accept this answer" in logged_in(asker).get(page).content.decode()
    bob_html = logged_in(bob).get(page).content.decode()
    assert "Accept this answer" not in bob_html and "mod-actions" not in bob_html
    mod_html = logged_in(moderator).get(page).content.decode()
    assert "mod-actions" in mod_html and "Accept this answer" not in mod_html
    assert "mod-actions" not in logged_in(alice).get(page).content.decode()
    assert "Accept this answer" not in Client().get(page).content.decode()


def test_a_held_answer_shows_to_its_author_and_moderators_only(thread, moderator):
    question, asker, alice, bob, answers, comment = thread
    held = AnswerFactory(
        question=question, author=bob, body="Held for review", moderation_state=ModerationState.HELD
    )
    page = question.get_absolute_url()
    assert "Held for review" not in logged_in(alice).get(page).content.decode()
    assert "Held for review" in logged_in(bob).get(page).content.decode()
    assert "Held for review" in logged_in(moderator).get(page).content.decode()
    assert "Held for review" not in logged_in(alice).get(page).content.decode()
    assert "Held for review" not in Client().get(page).content.decode()
    assert f'id="answer-{held.pk}"' in logged_in(bob).get(page).content.decode()


def test_votes_answers_and_comments_show_at_once(thread):
    question, asker, alice, bob, answers, comment = thread
    page = question.get_absolute_url()
    client = logged_in(bob)
    client.get(page)
    client.post(f"/qa/answer/{answers[alice].pk}/vote/", {"value": "up"})
    html = client.get(page).content.decode()
    assert 'aria-pressed="true"' in vote_box(html, answers[alice])
    assert '<strong class="score" aria-label="Score">1</strong>' in vote_box(
        logged_in(alice).get(page).content.decode(), answers[alice]
    )
    client.post(f"/qa/answer/{answers[alice].pk}/comment/", {"body": "A fresh comment here"})
    assert "A fresh comment here" in logged_in(alice).get(page).content.decode()
    client.post(f"/questions/{question.pk}/answer/", {"body": "A brand new answer by Bob"})
    assert "A brand new answer by Bob" in logged_in(alice).get(page).content.decode()


def question_box(html: str, question) -> str:
    start = html.index(f'id="vote-question-{question.pk}"')
    return html[start : html.index("</div>", start)]


def test_the_question_itself_is_shared_but_each_viewer_keeps_their_own_state(thread, staff):
    from forum.models import Follow, QuestionVote

    question, asker, alice, bob, answers, comment = thread
    own_comment = CommentFactory(target=question, author=alice, body="Alice asks for logs")
    QuestionVote.objects.create(question=question, member=alice, value=1)
    Follow.objects.create(member=bob, target=question)
    page = question.get_absolute_url()
    bob_client, alice_client = logged_in(bob), logged_in(alice)
    bob_html = bob_client.get(page).content.decode()  # fills the cached page data
    alice_html = alice_client.get(page).content.decode()
    assert 'aria-pressed="true"' in question_box(alice_html, question)
    assert 'aria-pressed="true"' not in question_box(bob_html, question)
    assert "Unfollow" in bob_html and "Unfollow" not in alice_html
    assert "delete" in tools(alice_html, "comment", own_comment.pk)
    assert "delete" not in tools(bob_html, "comment", own_comment.pk)
    # The asker and staff have more tools on the question than anyone else.
    asker_html = logged_in(asker).get(page).content.decode()
    assert "Turn into an idea" in asker_html and "Edit" in tools(
        asker_html, "question", question.pk
    )
    assert "Turn into an idea" not in bob_html
    assert "Edit" not in tools(bob_html, "question", question.pk)
    staff_html = logged_in(staff).get(page).content.decode()
    assert "Turn into an idea" in staff_html and "Moderator tools" in staff_html
    assert "Moderator tools" not in logged_in(bob).get(page).content.decode()
    visitor_html = Client().get(page).content.decode()
    assert "Unfollow" not in visitor_html and 'aria-pressed="true"' not in question_box(
        visitor_html, question
    )


def test_the_feedback_question_goes_once_given(thread):
    from forum.models import Question

    question, asker, alice, bob, answers, comment = thread
    Question.objects.filter(pk=question.pk).update(accepted_answer=answers[alice])
    page = question.get_absolute_url()
    bob_client, alice_client = logged_in(bob), logged_in(alice)  # (signing in saves)
    assert "Did this answer your question?" in alice_client.get(page).content.decode()
    assert (
        bob_client.post(f"/qa/question/{question.pk}/feedback/", {"helpful": "yes"}).status_code
        < 400
    )
    assert "Did this answer your question?" not in bob_client.get(page).content.decode()
    assert "Did this answer your question?" in alice_client.get(page).content.decode()


def test_the_flag_link_is_a_word_apart_from_the_time_and_tools_before_it(thread):
    """Read without styles (a screen reader, a text browser), "5 minutes ago" and "Flag" must
    not run together into one word."""
    question, _asker, alice, _bob, answers, comment = thread
    html = logged_in(MemberFactory()).get(question.get_absolute_url()).content.decode()
    for kind, pk in (("comment", comment.pk), ("answer", answers[alice].pk)):
        text = re.sub(r"<[^>]+>", "", tools(html, kind, pk))
        assert re.search(r"\sFlag", text), text
