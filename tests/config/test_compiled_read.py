"""A read compiled once per process (``config.db.CompiledRead``): the rows ``list(build(...))``
gives, for any values, without compiling again; a read that depends on more than its values,
or whose values are not parameters of its SQL, is refused. And ``InSubquery``: the ids a
subquery selects, in SQL whose shape does not depend on how many it finds."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, Value
from django.db.models.sql.compiler import SQLCompiler

from config.db import CompiledRead, InSubquery
from forum.models import Answer, Comment, Question
from forum.permissions import questions as perms
from moderation.content import ModerationState
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _answers(question_id, min_score):
    return (
        perms.answers_visible_to(AnonymousUser())
        .filter(question_id=question_id, score__gte=min_score)
        .select_related("author", "question")
        .annotate(shown=Value(1))
        .order_by("id")
    )


def _seen(answers):
    return [(a.pk, a.author.username, a.question.title, a.shown, a.body_html) for a in answers]


def test_a_compiled_read_gives_the_rows_of_its_queryset_for_any_values(
    django_assert_num_queries, monkeypatch
):
    first, second = QuestionFactory(title="First?"), QuestionFactory(title="Second?")
    for question, score in ((first, 1), (first, 5), (second, 5), (second, 9)):
        AnswerFactory(question=question, score=score)
    AnswerFactory(question=first, score=7, moderation_state=ModerationState.HELD)
    read = CompiledRead(Answer, _answers)
    for values in ((first.pk, 0), (first.pk, 3), (second.pk, 6), (second.pk, 99)):
        with django_assert_num_queries(1):
            rows = read(*values)
        assert _seen(rows) == _seen(_answers(*values)), values
        assert all(isinstance(row, Answer) and not row._state.adding for row in rows)
    assert [a.score for a in read(first.pk, 0)] == [1, 5]  # the held answer is not shown

    # Without the suite's check, a run after the first compiles nothing.
    monkeypatch.setattr(CompiledRead, "checking", False)
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)
    )
    assert [a.score for a in read(second.pk, 0)] == [5, 9]
    assert compiled == []


def test_a_read_that_depends_on_more_than_its_values_fails_in_the_suite():
    question = QuestionFactory()
    AnswerFactory(question=question, score=3)
    threshold = {"score": 0}
    read = CompiledRead(Answer, lambda pk: Answer.objects.filter(question_id=pk, **threshold))
    assert len(read(question.pk)) == 0  # score=0: compiled with it
    threshold["score"] = 3  # something the read reads besides its values changed
    with pytest.raises(AssertionError, match="compiled read out of date"):
        read(question.pk)


def test_a_value_that_is_not_a_parameter_of_the_sql_is_refused():
    QuestionFactory()
    sliced = CompiledRead(Question, lambda n: Question.objects.order_by("id")[:n])
    with pytest.raises(TypeError, match="must be a parameter"):
        sliced(1)
    ignored = CompiledRead(Question, lambda pk: Question.objects.all())
    with pytest.raises(TypeError, match="must be a parameter"):
        ignored(1)
    by_one = CompiledRead(Question, lambda *pks: Question.objects.filter(pk__in=pks))
    assert by_one(999_999) == []
    with pytest.raises(TypeError, match="takes 1 values, given 2"):
        by_one(999_999, 2)  # the SQL kept has one parameter for one value
    prefetching = CompiledRead(
        Question, lambda pk: Question.objects.filter(pk=pk).prefetch_related("tags")
    )
    with pytest.raises(TypeError, match="without prefetch_related"):
        prefetching(1)


def test_in_subquery_finds_what_in_finds_and_its_sql_does_not_grow():
    question = QuestionFactory()
    other = QuestionFactory()
    answers = [AnswerFactory(question=question) for _ in range(3)]
    elsewhere = AnswerFactory(question=other)
    on_answers = [CommentFactory(target=answer) for answer in answers]
    CommentFactory(target=elsewhere)
    on_question = CommentFactory(target=question)
    hidden = AnswerFactory(question=question, moderation_state=ModerationState.HIDDEN)
    CommentFactory(target=hidden)
    visible_answers = perms.answers_visible_to(AnonymousUser())

    def comments(question_id):
        ids = visible_answers.filter(question_id=question_id).values("pk").order_by()
        return Comment.objects.filter(
            Q(target_id=question_id, target_type__model="question")
            | Q(InSubquery(F("target_id"), ids), target_type__model="answer")
        ).order_by("id")

    assert list(comments(question.pk)) == [*on_answers, on_question]
    shapes = {str(comments(pk).query).replace(str(pk), "?") for pk in (question.pk, other.pk)}
    assert len(shapes) == 1  # three answers or one: the same SQL


def test_the_question_page_reads_are_compiled_and_show_what_the_full_way_shows(client):
    """The public question page (forum.selectors.questions) reads through compiled reads; the
    page a visitor gets shows the same answers and comments as a member's full read."""
    from forum.selectors import questions as selectors  # lazy: the module under test

    question = QuestionFactory(title="Where is the export?")
    answer = AnswerFactory(question=question, body_html="<p>In Settings.</p>")
    CommentFactory(target=answer, body_html="<p>Thanks, found it.</p>")
    CommentFactory(target=question, body_html="<p>Which plan?</p>")
    held = AnswerFactory(question=question, moderation_state=ModerationState.HELD)
    reads = (selectors._PUBLIC_QUESTION, selectors._PUBLIC_ANSWERS, selectors._PUBLIC_COMMENTS)
    for read in reads:
        read._ready.clear()  # compiled again by this page, if the page reads through them
    html = client.get(question.get_absolute_url()).content.decode()
    assert all(read._ready for read in reads)
    assert "In Settings." in html and "Thanks, found it." in html and "Which plan?" in html
    assert f'id="answer-{held.pk}"' not in html
    public = selectors._public_question_page(question.pk)
    assert public is not None
    full = selectors._question_and_answers(question.pk, MemberFactory())
    assert [a.pk for a in public[1]] == [a.pk for a in full[1]] == [answer.pk]
    assert [c.pk for c in public[0].comment_list] == [c.pk for c in full[0].comment_list]


@pytest.mark.parametrize("pk", [2**31, 2**40, 2**63 - 1, 2**63, 10**30])
def test_an_id_no_column_can_hold_finds_nothing_and_the_page_is_a_404(client, pk):
    """Django compiles no SQL for a value out of its column's range (no rows); a compiled
    read must not send it to the database either (SQLite refuses integers past 64 bits)."""
    from forum.selectors import questions as selectors  # lazy: the module under test

    QuestionFactory()
    assert selectors._PUBLIC_QUESTION(pk) == []
    assert client.get(f"/questions/{pk}/anything/").status_code == 404
