"""``next`` parameters that are neither a path nor a URL of this site are ignored: redirect()
would take a word such as "12345" for a view name and fail with a 500 (found by
tests/config/test_fuzz_views.py)."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory, logged_in
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_value", ["99999999999999999999999999", "home", "questions"])
def test_a_next_value_that_is_not_a_path_falls_back_to_the_default(next_value):
    client = logged_in(MemberFactory())
    idea = IdeaFactory()

    response = client.post(reverse("members:notifications-read"), {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:notifications")

    response = client.post(reverse("ideas:idea-vote", args=[idea.pk]), {"next": next_value})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/ideas/{idea.pk}/")

    response = client.post(reverse("moderation:rules-accept"), {"next": next_value})
    assert response.status_code in (302, 404)  # 404: no rules published in this test


def test_a_path_of_this_site_is_still_followed():
    client = logged_in(MemberFactory())
    response = client.post(reverse("members:notifications-read"), {"next": "/questions/"})
    assert response["Location"] == "/questions/"
    response = client.post(
        reverse("members:notifications-read"), {"next": "http://testserver/ideas/"}
    )
    assert response["Location"] == "http://testserver/ideas/"
    response = client.post(reverse("members:notifications-read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("members:notifications")
