"""The home page (issue 21): what the community is for, the search first, the active
questions as a list with answer counts, solved state and a letter avatar per author; the
header's account menu, phone menu and app icons."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_the_community_is_for_and_offers_the_search_first(client):
    page = client.get(reverse("home")).content.decode()
    assert "Customers and the team help each other here" in page
    main = page[page.index('<main id="main"') :]
    assert main.index('role="search"') < main.index("Active questions")
    assert f'action="{reverse("search:search")}"' in main
    assert f'href="{reverse("forum:question-ask")}"' in main


def test_active_questions_show_answer_counts_solved_state_and_letter_avatars(client):
    now = timezone.now()
    olga = MemberFactory(display_name="olga Petrova")
    quiet = QuestionFactory(title="Where are the invoices?", answer_count=0)
    quiet.last_activity_at = now - timedelta(days=2)
    quiet.save(update_fields=["last_activity_at"])
    solved = QuestionFactory(title="How do I export a report?", author=olga, answer_count=3)
    solved.accepted_answer = AnswerFactory(question=solved)
    solved.last_activity_at = now
    solved.save(update_fields=["accepted_answer", "last_activity_at"])

    page = client.get(reverse("home")).content.decode()
    # The latest activity first.
    assert page.index("How do I export a report?") < page.index("Where are the invoices?")
    row = page[page.index("How do I export a report?") - 600 : page.index("Where are the")]
    assert f'class="avatar avatar-c{str(olga.pk)[-1]}" aria-hidden="true">O</span>' in row
    assert "Solved" in row and "olga Petrova" in row
    assert "<strong>3</strong> answers" in row
    assert "<strong>0</strong> answers" in page


def test_a_member_gets_an_account_menu_and_everyone_a_phone_menu_and_app_icons(
    member_client, member
):
    page = member_client.get(reverse("home")).content.decode()
    assert f'aria-label="Account menu of {member.name}"' in page
    assert f'href="{member.get_absolute_url()}"' in page and "Log out" in page
    assert "<summary>Menu</summary>" in page
    assert 'rel="manifest"' in page and 'rel="apple-touch-icon"' in page


def test_the_manifest_names_icons_that_exist():
    manifest = json.loads(Path(finders.find("manifest.webmanifest")).read_text())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"any", "192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"]), icon["src"]
    assert finders.find("icons/apple-touch-icon.png")
