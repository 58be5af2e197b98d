"""Arbitrary input never produces a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.models import Question
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=text,
    kind=st.sampled_from(["", "question", "answer", "faq", "bogus"]),
    page=st.text(max_size=5),
)
def test_search_never_fails(client, q, kind, page):
    response = client.get(reverse("search:search"), {"q": q, "type": kind, "page": page})
    assert response.status_code in (200, 400)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=text)
def test_similar_never_fails(client, title):
    assert (
        client.get(
            reverse("forum:question-similar"), {"title": title}, HTTP_HX_REQUEST="true"
        ).status_code
        == 200
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=text, body=text, tags=text)
def test_asking_with_any_input_stores_only_valid_questions(
    member_client, category, title, body, tags
):
    before = Question.objects.count()
    response = member_client.post(
        reverse("forum:question-ask"),
        {"title": title, "body": body, "tags": tags, "category": category.slug},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Question.objects.count() == before


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    filters=st.dictionaries(
        st.sampled_from(["status", "sort", "category", "tag", "page"]), text, max_size=5
    )
)
def test_question_list_filters_never_fail(client, filters):
    QuestionFactory.create_batch(1) if not Question.objects.exists() else None
    assert client.get(reverse("forum:question-list"), filters).status_code == 200
