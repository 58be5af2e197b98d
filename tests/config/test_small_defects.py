"""Small defects a new user trips over (issue 21, defects 8 and 9), each with its test."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Notification
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_every_page_names_an_icon_and_favicon_ico_leads_to_it(client):
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in page and "favicon" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_the_sign_up_page_links_to_the_rules_it_asks_to_accept(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert f'href="{reverse("moderation:rules")}"' in page


def test_a_notification_says_how_long_ago_it_came(member_client, member):
    five_minutes_ago = timezone.now() - timedelta(minutes=5, seconds=10)
    Notification.objects.create(recipient=member, kind="answer", created_at=five_minutes_ago)
    page = member_client.get(reverse("members:notifications")).content.decode()
    assert "5\xa0minutes ago</time>" in page


def test_counts_agree_with_their_number(client, member):
    question = QuestionFactory(author=member, answer_count=1)
    profile = client.get(member.get_absolute_url()).content.decode()
    assert question.title in profile
    assert "1 answer" in profile and "1 answers" not in profile
