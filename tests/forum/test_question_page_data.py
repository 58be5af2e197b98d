"""The public posts of a question page are loaded once per process and site generation and
copied for each viewer (forum.selectors.questions.question_page_data): a viewer's votes,
follows and held posts never reach another viewer, and changes show at once."""

import pytest
from django.core.cache import cache
from django.test import Client

from config.cache import SITE, versions
from forum.models import AnswerVote, Follow, QuestionVote
from forum.selectors.questions import question_page_data
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CategoryFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def question_vote_box(html: str, question) -> str:
    start = html.index(f'id="vote-question-{question.pk}"')
    return html[start : html.index("</div>", start)]


@pytest.fixture
def thread(db):
    asker, alice, bob = MemberFactory(), MemberFactory(), MemberFactory()
    question = QuestionFactory(author=asker, title="Where do exported invoices go?")
    answer = AnswerFactory(question=question, author=alice, body="Look in Downloads")
    return question, asker, alice, bob, answer


def test_a_members_question_vote_and_follow_stay_theirs(thread, no_page_cache):
    question, asker, alice, bob, answer = thread
    QuestionVote.objects.create(question=question, member=bob, value=1)
    Follow.objects.create(member=bob, target=question)
    page = question.get_absolute_url()
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    alice_client.get(page)  # fills the snapshot
    bob_html = bob_client.get(page).content.decode()
    assert 'aria-pressed="true"' in question_vote_box(bob_html, question)
    assert "Unfollow" in bob_html
    for html in (alice_client.get(page).content.decode(), Client().get(page).content.decode()):
        assert 'aria-pressed="true"' not in question_vote_box(html, question)
        assert "Unfollow" not in html


def test_the_shared_snapshot_never_carries_a_viewers_state(thread, settings):
    question, asker, alice, bob, answer = thread
    QuestionVote.objects.create(question=question, member=bob, value=-1)
    AnswerVote.objects.create(answer=answer, member=bob, value=1)
    mine, my_answers = question_page_data(pk=question.pk, viewer=bob)
    assert mine.my_vote == -1 and my_answers[0].my_vote == 1
    assert my_answers[0].question is mine
    stored = cache.get(f"veche:question-page:{question.pk}")
    stored_versions, (shared, shared_answers), _shown, _their_versions = stored
    assert stored_versions == versions((f"question:{question.pk}", SITE))
    assert shared.my_vote == 0 and "my_vote" not in shared_answers[0].__dict__
    theirs, their_answers = question_page_data(pk=question.pk, viewer=alice)
    assert theirs.my_vote is None and their_answers[0].my_vote is None
    visitor, visitor_answers = question_page_data(
        pk=question.pk, viewer=Client().get("/").wsgi_request.user
    )
    assert visitor.my_vote == 0 and not visitor.is_following


def test_held_posts_show_to_their_author_even_after_others_filled_the_snapshot(thread, moderator):
    question, asker, alice, bob, answer = thread
    page = question.get_absolute_url()
    alice_client = logged_in(alice)
    assert "Held remark" not in alice_client.get(page).content.decode()  # snapshot built
    CommentFactory(
        target=answer, author=bob, body="Held remark", moderation_state=ModerationState.HELD
    )
    AnswerFactory(
        question=question, author=bob, body="Held answer", moderation_state=ModerationState.HELD
    )
    bob_html = logged_in(bob).get(page).content.decode()
    assert "Held remark" in bob_html and "Held answer" in bob_html
    for html in (alice_client.get(page).content.decode(), Client().get(page).content.decode()):
        assert "Held remark" not in html and "Held answer" not in html
    mod_html = logged_in(moderator).get(page).content.decode()
    assert "Held remark" in mod_html and "Held answer" in mod_html


def test_a_held_comment_on_the_question_itself_shows_to_its_author(thread):
    question, asker, alice, bob, answer = thread
    page = question.get_absolute_url()
    logged_in(alice).get(page)
    CommentFactory(
        target=question,
        author=bob,
        body="Held on the question",
        moderation_state=ModerationState.HELD,
    )
    assert "Held on the question" in logged_in(bob).get(page).content.decode()
    assert "Held on the question" not in logged_in(alice).get(page).content.decode()


def test_a_held_question_is_seen_by_its_author_only(db, moderator):
    author, other = MemberFactory(), MemberFactory()
    question = QuestionFactory(author=author, moderation_state=ModerationState.HELD)
    page = question.get_absolute_url()
    assert logged_in(other).get(page).status_code == 404
    assert Client().get(page).status_code == 404
    assert logged_in(author).get(page).status_code == 200
    assert logged_in(moderator).get(page).status_code == 200


def test_a_private_category_stays_closed_after_an_ambassador_filled_the_snapshot(db):
    question = QuestionFactory(category=CategoryFactory(ambassadors_only=True))
    page = question.get_absolute_url()
    assert logged_in(MemberFactory(badge="ambassador")).get(page).status_code == 200
    assert logged_in(MemberFactory()).get(page).status_code == 403
    assert Client().get(page).status_code == 403


def test_edits_and_new_posts_show_at_once(thread):
    question, asker, alice, bob, answer = thread
    page = question.get_absolute_url()
    bob_client = logged_in(bob)
    bob_client.get(page)
    response = logged_in(alice).post(
        f"/qa/answer/{answer.pk}/edit-post/", {"body": "Look in the Exports folder instead"}
    )
    assert response.status_code == 302
    assert "Look in the Exports folder instead" in bob_client.get(page).content.decode()
    answer.refresh_from_db()
    answer.body_html = "<p>Changed outside a request</p>"
    answer.save()
    assert "Changed outside a request" in bob_client.get(page).content.decode()


def test_content_hidden_by_a_job_disappears_at_once(thread):
    from moderation.services.content import content_set_state

    question, asker, alice, bob, answer = thread
    page = question.get_absolute_url()
    bob_client = logged_in(bob)
    assert "Look in Downloads" in bob_client.get(page).content.decode()
    assert "Look in Downloads" in Client().get(page).content.decode()
    content_set_state(answer, ModerationState.HIDDEN)  # a bulk update, outside any request
    assert "Look in Downloads" not in bob_client.get(page).content.decode()
    assert "Look in Downloads" not in Client().get(page).content.decode()


def _seen(question, answers) -> tuple:
    return (
        [a.pk for a in answers],
        [c.pk for c in question.comment_list],
        [[c.pk for c in a.comment_list] for a in answers],
    )


@pytest.mark.parametrize("state", list(ModerationState))
@pytest.mark.parametrize("deleted", [False, True])
@pytest.mark.parametrize("where", ["answer", "comment on the question", "comment on an answer"])
@pytest.mark.parametrize("own", [True, False])
@pytest.mark.parametrize("prepared", [True, False])
def test_a_member_sees_through_the_snapshot_what_the_full_way_shows(
    thread, state, deleted, where, own, prepared, settings
):
    """The snapshot path's own check of what only a member may see stays the visibility
    rules of forum.permissions, for every state a post can be in; on PostgreSQL also as the
    prepared statement production runs (config.db.planned_once)."""
    from django.utils import timezone

    settings.DATABASE_PREPARED_STATEMENTS = prepared

    from forum.selectors.questions import question_get_for_view, question_page_context

    question, asker, alice, bob, answer = thread
    author = bob if own else alice
    fields = {"moderation_state": state, "deleted_at": timezone.now() if deleted else None}
    if where == "answer":
        AnswerFactory(question=question, author=author, **fields)
    else:
        target = question if where == "comment on the question" else answer
        CommentFactory(target=target, author=author, **fields)
    full = question_get_for_view(pk=question.pk, viewer=bob)
    expected = _seen(full, question_page_context(question=full, viewer=bob)["answers"])
    logged_in(alice).get(question.get_absolute_url())  # another member fills the snapshot
    assert cache.get(f"veche:question-page:{question.pk}") is not None
    assert _seen(*question_page_data(pk=question.pk, viewer=bob)) == expected


@pytest.mark.postgres
def test_the_viewer_state_is_planned_once_per_connection_on_postgresql(thread, settings):
    """A member's question page asks PostgreSQL for their state with a statement prepared
    once per connection (config.db.planned_once), and it still finds their votes."""
    from django.db import connection

    settings.DATABASE_PREPARED_STATEMENTS = True
    question, asker, alice, bob, answer = thread
    QuestionVote.objects.create(question=question, member=bob, value=1)
    AnswerVote.objects.create(answer=answer, member=bob, value=-1)
    client = logged_in(bob)

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%forum_questionvote%"],
            )
            return cursor.fetchone()[0]

    assert client.get(question.get_absolute_url()).status_code == 200
    once = prepared()
    assert once >= 1  # with and without the answers' part: at most two statements
    for _ in range(2):
        html = client.get(question.get_absolute_url()).content.decode()
        assert 'aria-pressed="true"' in question_vote_box(html, question)
    assert prepared() == once
