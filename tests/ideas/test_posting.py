import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import Idea
from moderation.models import QueueItem
from tests.ideas.factories import IdeaCategoryFactory, IdeaFactory, follower_ids

pytestmark = pytest.mark.django_db


def _post(client, **data):
    category = data.pop("category", None) or IdeaCategoryFactory()
    payload = {
        "title": "Export reports to spreadsheets",
        "description": "We need **CSV** export of the monthly report.",
        "category": category if isinstance(category, str) else category.slug,
        **data,
    }
    return client.post(reverse("ideas:idea-new"), payload)


def test_member_posts_an_idea_and_lands_on_its_page(member_client, member):
    response = _post(member_client)
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert idea.author == member and idea.status == Idea.Status.NEW
    assert "<strong>CSV</strong>" in idea.description_html
    assert follower_ids(idea) == {member.pk}  # authors follow their ideas
    page = member_client.get(response["Location"])
    assert "Export reports to spreadsheets" in page.content.decode()
    assert "<strong>CSV</strong>" in page.content.decode()


def test_a_new_idea_enters_the_staff_review_queue(member_client, member):
    _post(member_client)
    item = QueueItem.objects.get(queue="new_ideas")
    assert item.target == Idea.objects.get() and item.member == member


def test_visitor_is_sent_to_log_in_and_nothing_is_stored(client):
    response = _post(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Idea.objects.exists()


def test_silenced_member_gets_403_and_nothing_is_stored(member_client, member):
    member.silenced_until = timezone.now() + timezone.timedelta(days=1)
    member.save()
    response = _post(member_client)
    assert response.status_code == 403
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"title": "short"}, {"description": ""}, {"category": "no-such-area"}, {"title": "x" * 300}],
)
def test_bad_input_shows_the_form_again_with_errors(member_client, data):
    response = _post(member_client, **data)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Idea.objects.exists()


def test_ambassador_only_categories_are_not_offered_to_members(member_client):
    secret = IdeaCategoryFactory(ambassadors_only=True)
    response = _post(member_client, category=secret)
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_similar_ideas_are_suggested_for_a_reworded_title(client):
    wanted = IdeaFactory(title="Dark mode for the dashboard")
    IdeaFactory(title="Single sign-on with Okta")
    response = client.get(
        reverse("ideas:idea-similar"), {"title": "Add a darker theme to dashboards"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert wanted.title in body and "Okta" not in body


def test_similar_suggestions_are_empty_for_an_unrelated_title(client):
    IdeaFactory(title="Dark mode for the dashboard")
    response = client.get(reverse("ideas:idea-similar"), {"title": "Invoices in euros"})
    assert "Dark mode" not in response.content.decode()


def test_without_javascript_similar_ideas_are_shown_before_posting(member_client):
    category = IdeaCategoryFactory()
    existing = IdeaFactory(title="Export reports as CSV files", category=category)
    response = _post(member_client, category=category)
    body = response.content.decode()
    assert response.status_code == 200
    assert existing.title in body and "Post my idea anyway" in body
    assert Idea.objects.count() == 1
    response = _post(member_client, category=category, confirmed="on")
    assert response.status_code == 302
    assert Idea.objects.count() == 2


def test_new_idea_form_is_wired_to_the_suggestions_for_htmx(member_client):
    body = member_client.get(reverse("ideas:idea-new")).content.decode()
    assert f'hx-get="{reverse("ideas:idea-similar")}"' in body
    assert 'id="similar-ideas"' in body
