"""Ambassador-only categories: ambassadors and staff see them; others get 403 / nothing."""

import pytest
from django.urls import reverse

from tests.forum.factories import AnswerFactory, FaqEntryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

TITLE = "Secret roadmap question for ambassadors"


@pytest.fixture
def secret(private_category):
    question = QuestionFactory(title=TITLE, category=private_category, body="roadmap details")
    AnswerFactory(question=question, body="roadmap answer")
    return question


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator"])
def test_others_get_403_and_see_nothing(client, role, member, moderator, secret, private_category):
    if role == "member":
        client.force_login(member)
    elif role == "moderator":
        client.force_login(moderator)
    assert client.get(private_category.get_absolute_url()).status_code == 403
    assert client.get(secret.get_absolute_url()).status_code == 403
    assert TITLE not in client.get(reverse("forum:question-list")).content.decode()
    assert TITLE not in client.get(reverse("search:search"), {"q": "roadmap"}).content.decode()
    assert TITLE not in client.get("/").content.decode()
    assert TITLE not in client.get(reverse("forum:feed-rss")).content.decode()
    assert client.get(reverse("forum:feed-category", args=["lounge"])).status_code == 404


def test_non_ambassador_cannot_post_there(client, member, secret):
    client.force_login(member)
    response = client.post(
        reverse("forum:answer-create", args=[secret.pk]), {"body": "Sneaky answer text"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("forum:question-ask"),
        {
            "title": "Trying the lounge category",
            "body": "Can I post here as a member?",
            "category": "lounge",
        },
    )
    assert response.status_code == 400  # the category is not offered


@pytest.mark.parametrize("role", ["ambassador", "staff"])
def test_ambassadors_and_staff_see_the_category(
    client, role, ambassador, staff, secret, private_category
):
    client.force_login(ambassador if role == "ambassador" else staff)
    assert client.get(private_category.get_absolute_url()).status_code == 200
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert TITLE in client.get(reverse("forum:question-list")).content.decode()
    assert TITLE in client.get(reverse("search:search"), {"q": "roadmap"}).content.decode()


def test_private_faq_entries_are_hidden(client, private_category):
    entry = FaqEntryFactory(category=private_category, title="Lounge etiquette entry")
    assert "Lounge etiquette" not in client.get(reverse("forum:faq")).content.decode()
    assert client.get(entry.get_absolute_url()).status_code == 404
