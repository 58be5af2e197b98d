"""Personal API tokens: made on the settings page and shown once, stored as a hash, scoped,
revocable at once, last use recorded at most once a minute; bot accounts for staff."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, BotAccount, token_hash
from api.services import bot_create, token_create
from forum.models import Question
from members.models import Member
from tests.api.conftest import ApiClient, api_as
from tests.factories import MemberFactory
from tests.forum.factories import QuestionFactory

pytestmark = pytest.mark.django_db

QUESTION = {
    "title": "How do I export every invoice at once?",
    "body": "The export page lets me pick one month at a time only.",
    "category": "billing",
    "tags": ["export"],
}


def test_the_settings_page_links_to_the_token_page(member_client):
    page = member_client.get(reverse("members:settings")).content.decode()
    assert reverse("api:tokens") in page


def test_a_token_is_shown_once_and_only_its_hash_is_stored(member_client, member):
    response = member_client.post(
        reverse("api:tokens"), {"name": "Helpdesk", "scopes": ["read", "write"]}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    page = response.content.decode()
    start = page.index('id="token-secret"')
    secret = page[start:].split('value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("veche_") and len(secret) > 40
    assert token.token_hash == token_hash(secret) and secret not in token.token_hash
    assert token.prefix == secret[:14] and token.scopes == ["read", "write"]
    assert response["Cache-Control"] == "no-store"
    again = member_client.get(reverse("api:tokens")).content.decode()
    assert secret not in again and token.prefix in again and "Helpdesk" in again
    me = ApiClient(secret).get("/me").json()
    assert me["member"]["username"] == member.username
    assert me["scopes"] == ["read", "write"]


def test_a_member_cannot_give_a_token_the_moderate_or_admin_scope(member_client):
    response = member_client.post(
        reverse("api:tokens"), {"name": "Too much", "scopes": ["read", "moderate"]}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    page = member_client.get(reverse("api:tokens")).content.decode()
    assert 'value="moderate"' not in page and 'value="admin"' not in page


def test_staff_see_every_scope(staff_client):
    page = staff_client.get(reverse("api:tokens")).content.decode()
    assert 'value="moderate"' in page and 'value="admin"' in page


def test_a_revoked_token_fails_at_once(member_client, member):
    token, secret = token_create(actor=member, name="Script", scopes=["read"])
    api = ApiClient(secret)
    assert api.get("/questions").status_code == 200
    response = member_client.post(reverse("api:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = api.get("/questions")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This API token is not valid or was revoked."}
    assert "Revoked on" in member_client.get(reverse("api:tokens")).content.decode()


def test_nobody_revokes_another_members_token(client, member, other_member):
    token, secret = token_create(actor=member, name="Mine", scopes=["read"])
    client.force_login(other_member)
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 404
    assert ApiClient(secret).get("/questions").status_code == 200


def test_a_wrong_or_malformed_token_is_refused_with_401(db):
    assert ApiClient("veche_not-a-real-token").get("/questions").status_code == 401
    response = ApiClient().client.get("/api/v1/questions", headers={"Authorization": "Basic x"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_last_use_is_written_at_most_once_a_minute(member):
    token, secret = token_create(actor=member, name="Script", scopes=["read"])
    api = ApiClient(secret)
    api.get("/tags")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get("/tags")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/tags")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_scopes_are_enforced_per_endpoint(member, category):
    reader = api_as(member, scopes=["read"])
    assert reader.get("/questions").status_code == 200
    refused = reader.post("/questions", QUESTION)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token lacks the Write scope."
    writer = api_as(member, scopes=["write"])
    assert writer.get("/questions").status_code == 403  # no read scope
    assert writer.post("/questions", QUESTION).status_code == 201
    assert Question.objects.filter(author=member).count() == 1


def test_the_moderate_and_admin_scopes_also_need_the_role(member, moderator, staff):
    assert api_as(moderator, ["read", "moderate"]).get("/moderation/queue").status_code == 200
    assert api_as(moderator, ["read"]).get("/moderation/queue").status_code == 403
    with pytest.raises(Exception, match="cannot give a token"):
        token_create(actor=member, name="x", scopes=["moderate"])
    # A moderator demoted later keeps the token, not the power.
    token, secret = token_create(actor=moderator, name="x", scopes=["moderate"])
    moderator.groups.clear()
    fresh = Member.objects.get(pk=moderator.pk)
    assert not fresh.is_moderator
    assert ApiClient(secret).get("/moderation/queue").status_code == 403


def test_a_banned_or_suspended_members_token_is_refused(member):
    _token, secret = token_create(actor=member, name="x", scopes=["read", "write"])
    Member.objects.filter(pk=member.pk).update(banned_at=timezone.now())
    response = ApiClient(secret).get("/questions")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your account is banned."
    Member.objects.filter(pk=member.pk).update(
        banned_at=None, suspended_until=timezone.now() + timedelta(days=1)
    )
    assert ApiClient(secret).get("/questions").json()["detail"] == "Your account is suspended."


def test_staff_tokens_act_as_a_bot_which_signs_the_posts(staff_client, staff, category):
    response = staff_client.post(
        reverse("api:bot-create"), {"username": "supportbot", "display_name": "Support bot"}
    )
    assert response.status_code == 302
    bot = Member.objects.get(username="supportbot")
    assert BotAccount.objects.filter(member=bot).exists() and not bot.has_usable_password()
    bot.trust_level = Member.TrustLevel.REGULAR  # staff trust the bot (else it is held)
    bot.save()
    response = staff_client.post(
        reverse("api:tokens"),
        {"name": "Helpdesk", "scopes": ["read", "write"], "acting_as": bot.pk},
    )
    assert response.status_code == 200
    assert "acts as supportbot" in response.content.decode()
    token = ApiToken.objects.get()
    assert token.member == bot and token.created_by == staff
    _token, secret = token_create(actor=staff, name="again", scopes=["write"], acting_as=bot)
    created = ApiClient(secret).post(
        f"/questions/{QuestionFactory(category=category).pk}/answers",
        {"body": "Our support team answers: open Billing, then Export all."},
    )
    assert created.status_code == 201
    assert bot.answers.count() == 1


def test_members_cannot_make_bots_or_act_as_them(member_client, member, staff):
    assert (
        member_client.post(reverse("api:bot-create"), {"username": "b", "display_name": "B"})
    ).status_code == 403
    bot = bot_create(actor=staff, username="helperbot", display_name="Helper")
    with pytest.raises(Exception, match="Only staff"):
        token_create(actor=member, name="x", scopes=["read"], acting_as=bot)
    other = MemberFactory()
    with pytest.raises(Exception, match="bot account"):
        token_create(actor=staff, name="x", scopes=["read"], acting_as=other)


def test_too_many_requests_get_429(member, settings):
    settings.VECHE_API_REQUESTS_PER_MINUTE = 3
    api = api_as(member, ["read"])
    statuses = [api.get("/tags").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Too many requests" in api.get("/tags").json()["detail"]
