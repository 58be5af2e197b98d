"""Whatever members type, the idea board answers with a page or a form error, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideas.models import Idea
from tests.factories import MemberFactory
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory

pytestmark = pytest.mark.django_db

text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=300)
HYPOTHESIS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HYPOTHESIS
@given(title=text)
def test_similar_suggestions_never_fail(title):
    IdeaFactory(title="Dark mode for the dashboard")
    assert Client().get(reverse("ideas:idea-similar"), {"title": title}).status_code == 200


@HYPOTHESIS
@given(title=text, description=text, query=text)
def test_posting_and_listing_never_fail(title, description, query):
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    category = IdeaCategoryFactory()
    before = Idea.objects.count()
    response = client.post(
        reverse("ideas:idea-new"),
        {"title": title, "description": description, "category": category.slug, "confirmed": "on"},
    )
    assert response.status_code in (200, 302, 400)
    assert Idea.objects.count() == before + (response.status_code == 302)
    for params in ({"status": query}, {"category": query}, {"sort": query}, {"page": query}):
        assert client.get(reverse("ideas:idea-list"), params).status_code == 200
    assert client.get(reverse("search:search"), {"q": query, "type": "idea"}).status_code in (
        200,
        400,
    )
