"""Merging ideas (issue 21, defect 7): the idea to keep is found by its title on a page that
works without JavaScript, and the merge note is shown where the merged idea now leads."""

import pytest
from django.urls import reverse

from ideas.models import Idea
from tests.factories import MemberFactory
from tests.html import visible_text
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_staff_find_the_idea_to_keep_by_title_and_the_note_is_shown(staff_client):
    keep = IdeaFactory(title="Тёмная тема оформления")
    IdeaFactory(title="Экспорт в таблицу")
    dupe = IdeaFactory(title="Ночной режим")
    detail = staff_client.get(dupe.get_absolute_url()).content.decode()
    merge_url = reverse("ideas:idea-merge", args=[dupe.pk])
    assert f'action="{merge_url}"' in detail
    assert 'name="merge_into"' not in detail  # no number to type

    found = staff_client.get(merge_url, {"q": "тема"}).content.decode()
    assert f'value="{keep.pk}"' in found and "Тёмная тема оформления" in found
    assert "Экспорт в таблицу" not in found and f'value="{dupe.pk}"' not in found

    response = staff_client.post(
        reverse("ideas:idea-review-action", args=[dupe.pk]),
        {"action": "merge", "return": "idea", "merge_into": keep.pk, "note": "Одно и то же"},
    )
    assert response.status_code == 302 and response["Location"] == keep.get_absolute_url()
    dupe.refresh_from_db()
    assert dupe.merged_into == keep and dupe.merge_note == "Одно и то же"
    # The merged idea's page leads to the kept one, which says why.
    assert staff_client.get(dupe.get_absolute_url())["Location"] == keep.get_absolute_url()
    page = visible_text(staff_client.get(keep.get_absolute_url()).content.decode())
    assert "“Ночной режим” (Одно и то же)" in page


def test_without_a_search_the_page_offers_ideas_with_similar_titles(staff_client):
    dupe = IdeaFactory(title="Dark mode for the app")
    similar = IdeaFactory(title="Dark theme")
    page = staff_client.get(reverse("ideas:idea-merge", args=[dupe.pk])).content.decode()
    assert f'value="{similar.pk}"' in page
    assert "No idea matches" not in page
    nothing = staff_client.get(reverse("ideas:idea-merge", args=[dupe.pk]), {"q": "zzzz"})
    assert "No idea matches" in nothing.content.decode()


@pytest.mark.parametrize("who,status", [("anonymous", 302), ("member", 403), ("staff", 200)])
def test_the_merge_page_is_for_reviewers(client, who, status, staff):
    idea = IdeaFactory()
    user = {"member": MemberFactory(), "staff": staff}.get(who)
    if user:
        client.force_login(user)
    assert client.get(reverse("ideas:idea-merge", args=[idea.pk])).status_code == status


@pytest.mark.parametrize("rows", [2, 20])
def test_the_merge_page_query_count_does_not_grow(
    staff_client, rows, django_assert_max_num_queries
):
    idea = IdeaFactory(title="Export")
    for i in range(rows):
        IdeaFactory(title=f"Export {i}")
    staff_client.get(reverse("ideas:idea-merge", args=[idea.pk]), {"q": "Export"})
    with django_assert_max_num_queries(8):
        page = staff_client.get(reverse("ideas:idea-merge", args=[idea.pk]), {"q": "Export"})
    assert page.content.decode().count('name="merge_into"') == min(rows, 20)
    assert Idea.objects.count() == rows + 1
