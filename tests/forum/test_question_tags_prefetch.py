"""``prefetch_related("tags")`` on questions is one plain query (forum.models.questions
``QuestionQuerySet``): the same tags in the same order as Django's prefetch, no query when a
template asks for them, and Django's way for any other lookup."""

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from forum.models import Question, Tag
from tests.forum.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    zebra, alpha, mango = (TagFactory(name=n, slug=n) for n in ("zebra", "alpha", "mango"))
    first = QuestionFactory()
    first.tags.set([zebra, alpha, mango])
    second = QuestionFactory()
    second.tags.set([mango])
    QuestionFactory()  # no tags
    return {"zebra": zebra, "alpha": alpha, "mango": mango}


def _names(questions):
    return {q.pk: [t.name for t in q.tags.all()] for q in questions}


def test_the_tags_come_in_one_query_in_the_tags_order(tagged):
    with CaptureQueriesContext(connection) as captured:
        questions = list(Question.objects.prefetch_related("tags").order_by("id"))
        names = _names(questions)
        counts = [q.tags.all().count() for q in questions]
    assert len(captured.captured_queries) == 2
    assert list(names.values()) == [["alpha", "mango", "zebra"], ["mango"], []]
    assert counts == [3, 1, 0]
    tag = questions[0].tags.all()[0]
    assert tag == tagged["alpha"] and tag.question_count == tagged["alpha"].question_count
    assert tag.get_deferred_fields() == set()  # every column, as Django's prefetch loads


def test_the_same_as_djangos_prefetch(tagged):
    from django.db.models import prefetch_related_objects

    quick = list(Question.objects.prefetch_related("tags").order_by("id"))
    django_way = list(Question.objects.order_by("id"))
    prefetch_related_objects(django_way, "tags")
    assert _names(quick) == _names(django_way)


def test_a_single_question_and_other_lookups_go_as_before(tagged):
    question = Question.objects.prefetch_related("tags", "category").get(
        pk=tagged["mango"].questions.order_by("id").first().pk
    )
    with CaptureQueriesContext(connection) as captured:
        assert [t.name for t in question.tags.all()] == ["alpha", "mango", "zebra"]
        assert question.category.name
    assert len(captured.captured_queries) == 0
    # Django's own way: a Prefetch object and a lookup through the tags
    only_m = Prefetch("tags", queryset=Tag.objects.filter(name__startswith="m"))
    questions = list(Question.objects.prefetch_related(only_m).order_by("id"))
    assert list(_names(questions).values()) == [["mango"], ["mango"], []]
    questions = list(Question.objects.prefetch_related("tags__questions").order_by("id"))
    with CaptureQueriesContext(connection) as captured:
        assert len(list(questions[0].tags.all()[0].questions.all())) == 1
    assert len(captured.captured_queries) == 0


@pytest.mark.parametrize("count", [1, 20, 21, 50, 51])
def test_a_page_of_any_size_gets_djangos_tags_in_one_query(count):
    """Up to 20 and up to 50 questions are read by a compiled query (padded with ids no
    question has); more by the ORM's: the same tags either way, no more."""
    from django.db.models import prefetch_related_objects

    tags = [TagFactory(name=f"t{n:02}", slug=f"t{n:02}") for n in range(4)]
    for n in range(count):
        QuestionFactory().tags.set(tags[n % 4 : n % 4 + 2])
    with CaptureQueriesContext(connection) as captured:
        quick = _names(Question.objects.prefetch_related("tags").order_by("id"))
    assert len(captured.captured_queries) == 2
    django_way = list(Question.objects.order_by("id"))
    prefetch_related_objects(django_way, "tags")
    assert quick == _names(django_way)
    tag = next(iter(Question.objects.prefetch_related("tags").order_by("id")[:1])).tags.all()[0]
    assert "tagged" not in tag.__dict__ and tag.get_deferred_fields() == set()
