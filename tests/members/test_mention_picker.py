"""The mention picker's suggestions (members.views_mentions): members only, experts in the
question's tags first, never a banned, suspended, deleted or inactive member, one query."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Expertise
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

URL = reverse("members:mention-suggest")


def _usernames(response) -> list[str]:
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-username="')[1:]]


def test_experts_in_the_questions_tags_come_first(member_client):
    MemberFactory(username="anna", reputation=500)
    expert = MemberFactory(username="anton", reputation=1)
    Expertise.objects.create(member=expert, tag_slug="billing")
    MemberFactory(username="andrew", display_name="Andrew", reputation=100)
    response = member_client.get(URL, {"q": "an", "tags": "Billing,exports"})
    assert response.status_code == 200
    assert _usernames(response) == ["anton", "anna", "andrew"]
    html = response.content.decode()
    assert "expert in these tags" in html
    # Without tags: the best known first.
    assert _usernames(member_client.get(URL, {"q": "an"})) == ["anna", "andrew", "anton"]


def test_the_fragment_is_a_listbox_of_options(member_client):
    target = MemberFactory(username="bella", display_name="Bella Baker")
    response = member_client.get(URL, {"q": "bel"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'role="listbox"' in html and 'aria-label="Members to mention"' in html
    assert f'role="option" id="mention-option-{target.pk}" aria-selected="false"' in html
    assert "Bella Baker" in html and "@bella" in html


def test_usernames_match_before_display_names(member_client):
    MemberFactory(username="zed", display_name="Carla Zed", reputation=900)
    MemberFactory(username="carl", display_name="Someone", reputation=1)
    assert _usernames(member_client.get(URL, {"q": "car"})) == ["carl", "zed"]


def test_banned_suspended_deleted_and_inactive_members_are_never_suggested(member_client, member):
    now = timezone.now()
    MemberFactory(username="dora_ok")
    MemberFactory(username="dora_banned", banned_at=now)
    MemberFactory(username="dora_suspended", suspended_until=now + timedelta(days=2))
    MemberFactory(username="dora_deleted", deleted_at=now)
    MemberFactory(username="dora_applicant", is_active=False)
    MemberFactory(username="dora_back", suspended_until=now - timedelta(days=1))
    member.username = "dora_me"
    member.save()
    assert sorted(_usernames(member_client.get(URL, {"q": "dora"}))) == ["dora_back", "dora_ok"]


def test_no_match_says_so(member_client):
    response = member_client.get(URL, {"q": "nobody-like-this"})
    assert response.status_code == 200
    assert "No member by that name." in response.content.decode()


def test_visitors_get_no_suggestions(client):
    MemberFactory(username="erin")
    response = client.get(URL, {"q": "er"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_too_long_name_is_a_400_not_a_500(member_client):
    response = member_client.get(URL, {"q": "x" * 151})
    assert response.status_code == 400
    assert "Type a shorter name." in response.content.decode()
    assert member_client.post(URL, {"q": "a"}).status_code == 405


@pytest.mark.parametrize("rows", [2, 20])
def test_suggestions_cost_one_query_whatever_the_rows(
    member_client, rows, django_assert_max_num_queries
):
    for i in range(rows):
        expert = MemberFactory(username=f"fay{i}")
        Expertise.objects.create(member=expert, tag_slug="billing")
    member_client.get(URL, {"q": "x"})  # the day's activity and the community settings, once
    # The member (the session is signed cookies), then the suggestions.
    with django_assert_max_num_queries(2):
        response = member_client.get(URL, {"q": "fay", "tags": "billing"})
    assert len(_usernames(response)) == min(rows, 8)


def test_the_editor_carries_the_picker_and_the_answer_box_the_questions_tags(member_client):
    question = QuestionFactory(tags=[TagFactory(name="billing"), TagFactory(name="exports")])
    html = member_client.get(question.get_absolute_url()).content.decode()
    assert "js/mentions.js" in html and f'data-mention-url="{URL}"' in html
    assert 'data-mention-tags="billing,exports"' in html
