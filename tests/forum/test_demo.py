import pytest
from django.db.models import Sum

from config.seeding import SeedContext
from forum import demo
from forum.models import Answer, AnswerVote, Category, FaqEntry, Question, QuestionVote
from members import demo as members_demo
from members.models import Member

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_consistent_q_and_a_and_is_idempotent(client):
    ctx = SeedContext(
        quiet=True,
        sizes={
            "members": 40,
            "questions": 60,
            "answers": 150,
            "comments": 80,
            "votes": 600,
            "faq": 12,
            "history_days": 90,
            "activity_days": 200,
        },
    )
    members_demo.seed(ctx)
    demo.seed(ctx)
    assert Category.objects.count() == 8
    assert Question.objects.count() == 60 and Answer.objects.count() == 150
    assert FaqEntry.objects.count() == 12
    assert Question.objects.filter(accepted_answer__isnull=False).exists()
    oldest = Question.objects.order_by("created_at").first().created_at
    assert oldest >= ctx.history_start
    assert (ctx.now - oldest).days > 30  # spread over the history window
    assert Question.objects.filter(title__regex=r"[а-я]").exists()  # some Russian
    for question in Question.objects.all()[:20]:
        votes = QuestionVote.objects.filter(question=question).aggregate(s=Sum("value"))["s"]
        assert question.score == (votes or 0)
        assert question.answer_count == question.answers.count()
    for answer in Answer.objects.all()[:40]:
        votes = AnswerVote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"]
        assert answer.score == (votes or 0)
    assert Member.objects.filter(reputation__gt=0).exists()
    # authors' own and repeated votes are drawn again: exactly as many votes as asked for
    assert QuestionVote.objects.count() + AnswerVote.objects.count() == 600
    demo.seed(ctx)  # second run: nothing added
    assert Question.objects.count() == 60
    question = Question.objects.filter(category__ambassadors_only=False).first()
    assert client.get(question.get_absolute_url()).status_code == 200


@pytest.mark.postgres
def test_demo_rows_are_written_with_the_search_vectors_vector_update_builds():
    from django.db.models import F, TextField
    from django.db.models.functions import Cast

    from search.vectors import vector_expression

    ctx = SeedContext(
        quiet=True,
        sizes={
            "members": 20,
            "questions": 40,
            "answers": 90,
            "comments": 10,
            "votes": 50,
            "faq": 5,
            "history_days": 60,
            "activity_days": 100,
        },
    )
    members_demo.seed(ctx)
    demo.seed(ctx)
    for model, title in ((Question, "title"), (Answer, None)):
        rows = model.objects.annotate(
            stored=Cast("search_vector", TextField()),
            expected=Cast(vector_expression(title=title, body="body"), TextField()),
        )
        assert rows.filter(search_vector__isnull=True).count() == 0
        assert rows.exclude(stored=F("expected")).count() == 0
    assert Question.objects.filter(search_vector="invoice").exists()
