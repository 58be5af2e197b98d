"""Every absolute link uses the site's address (issue 21, defect 3): VECHE_SITE_URL when set,
the request's own address in development without it; never the sites framework's
"example.com" nor a default 127.0.0.1:8000 when the site runs elsewhere."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from forum.models import Question
from members.models import Member
from tests.factories import sign_up
from tests.forum.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

SITE = "https://community.example.org"


@pytest.fixture
def configured(settings):
    """A deployment with VECHE_SITE_URL set."""
    settings.SITE_URL = SITE
    settings.SITE_URL_FROM_REQUEST = False
    return SITE


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text)


def test_invitation_link_uses_the_configured_address(
    member_client, configured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("ambassadors:invitation-create"), {"email": "f@example.org"})
    links = _links(mail.outbox[-1].body)
    assert links and all(link.startswith(SITE + "/") for link in links)


def test_in_development_the_invitation_link_points_to_the_requests_address(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("ambassadors:invitation-create"),
            {"email": "f@example.org"},
            HTTP_HOST="localhost:8123",
        )
    links = _links(mail.outbox[-1].body)
    assert links and all(link.startswith("http://localhost:8123/") for link in links)


def test_notification_emails_link_to_the_configured_address(
    client, member, other_member, configured, django_capture_on_commit_callbacks
):
    CategoryFactory(name="Billing", slug="billing")
    ask = {
        "title": "Where do the links point?",
        "body": "Asking for a friend.",
        "category": "billing",
    }
    client.force_login(member)
    client.post(reverse("forum:question-ask"), ask)
    answer_url = reverse("forum:answer-create", args=[Question.objects.get().pk])
    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(answer_url, {"body": "They point to the site."}).status_code == 302
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    links = _links(message.body)
    assert links and all(link.startswith(SITE + "/") for link in links)
    assert f"<{SITE}/" in message.extra_headers["List-Unsubscribe"]


def test_account_emails_name_the_site_not_example_com(client, configured):
    assert sign_up(client).status_code == 302
    [message] = mail.outbox
    assert "example.com/" not in message.body and "example.com!" not in message.body
    assert "Veche" in message.body
    links = [link for link in _links(message.body) if "/accounts/" in link]
    assert links and all(link.startswith(SITE + "/accounts/") for link in links)

    mail.outbox.clear()
    Member.objects.filter(username="newbie").update(is_active=True)
    client.post(reverse("account_reset_password"), {"email": "newbie@example.com"})
    [reset] = mail.outbox
    assert "example.com/" not in reset.body
    assert any(link.startswith(SITE + "/accounts/password/reset/") for link in _links(reset.body))


def test_feeds_and_the_sitemap_use_the_configured_address(client, configured):
    question = QuestionFactory(title="Вопрос в ленте")
    for name in ("forum:feed-rss", "forum:feed-atom", "ideas:idea-changelog-rss"):
        body = client.get(reverse(name)).content.decode()
        assert "example.com" not in body and "testserver" not in body, name
        assert f"{SITE}/" in body, name
    assert (
        f"{SITE}{question.get_absolute_url()}"
        in client.get(reverse("forum:feed-rss")).content.decode()
    )
    sitemap = client.get(reverse("forum:sitemap")).content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(SITE + "/") for loc in locations)
    assert f"{SITE}{question.get_absolute_url()}" in locations


def test_in_development_feeds_and_the_sitemap_use_the_requests_address(client):
    QuestionFactory()
    rss = client.get(reverse("forum:feed-rss"), HTTP_HOST="localhost:8123").content.decode()
    assert "http://localhost:8123/" in rss and "example.com" not in rss
    sitemap = client.get(reverse("forum:sitemap"), HTTP_HOST="localhost:8123").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith("http://localhost:8123/") for loc in locations)
