import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import Member
from tests.factories import PASSWORD, MemberFactory, sign_up

pytestmark = pytest.mark.django_db


def _link_from(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_sends_verification_and_verifying_logs_the_member_in(client):
    response = sign_up(client)
    assert response.status_code == 302
    member = Member.objects.get(username="newbie")
    assert member.display_name == "New Bie"
    assert not EmailAddress.objects.get(user=member).verified
    assert len(mail.outbox) == 1
    assert "newbie@example.com" in mail.outbox[0].to
    # Mandatory verification: not logged in before confirming.
    assert client.get(reverse("members:settings")).status_code == 302

    confirm_url = _link_from(mail.outbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=member).verified
    assert client.get(reverse("members:settings")).status_code == 200


def test_sign_up_requires_accepting_the_rules(client):
    response = sign_up(client, accept_rules="")
    assert response.status_code == 200
    assert "accept the community rules" in response.content.decode()
    assert not Member.objects.filter(username="newbie").exists()


def test_sign_up_with_a_taken_email_creates_no_second_account(client, member):
    # allauth prevents account enumeration: the form behaves as for a new address and the
    # owner of the address is told by e-mail instead.
    sign_up(client, email=member.email)
    assert Member.objects.filter(email=member.email).count() == 1
    assert not Member.objects.filter(username="newbie").exists()
    assert mail.outbox and mail.outbox[0].to == [member.email]


@pytest.mark.parametrize("login_field", ["username", "email"])
def test_login_by_username_or_email(client, login_field):
    member = MemberFactory()
    response = client.post(
        reverse("account_login"),
        {"login": getattr(member, login_field), "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("members:settings")).status_code == 200


def test_wrong_password_shows_an_error_and_does_not_log_in(client, member):
    response = client.post(reverse("account_login"), {"login": member.username, "password": "x"})
    assert response.status_code == 200
    assert client.get(reverse("members:settings")).status_code == 302


def test_suspended_member_cannot_log_in(client):
    from datetime import timedelta

    from django.utils import timezone

    member = MemberFactory(suspended_until=timezone.now() + timedelta(days=1))
    client.post(reverse("account_login"), {"login": member.username, "password": PASSWORD})
    assert client.get(reverse("members:settings")).status_code == 302


def test_password_reset_by_email_link(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    reset_url = _link_from(mail.outbox[0])
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    new_password = "another-long-passphrase-77"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_logged_out_visitor_is_redirected_from_settings(client):
    response = client.get(reverse("members:settings"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_logout_ends_the_session(member_client):
    member_client.post(reverse("account_logout"))
    assert member_client.get(reverse("members:settings")).status_code == 302


def test_staff_without_totp_is_sent_to_set_it_up_when_required(client, settings):
    settings.VECHE_STAFF_MFA_REQUIRED = True
    staff = MemberFactory(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("members:directory"))
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]
    # A regular member is not asked.
    client.force_login(MemberFactory())
    assert client.get(reverse("members:directory")).status_code == 200


def test_private_community_shows_visitors_only_the_landing_page(client):
    from members.models import CommunitySettings

    CommunitySettings.objects.update_or_create(pk=1, defaults={"private": True})
    assert client.get("/").status_code == 200
    response = client.get(reverse("members:directory"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_private_landing_page_names_no_question_or_idea(client, member):
    """Issue 15, row 4: the home page's blocks listed titles to visitors in private mode."""
    from django.core.cache import cache

    from members.models import CommunitySettings
    from tests.forum.factories import QuestionFactory
    from tests.ideas.factories import IdeaFactory

    QuestionFactory(title="Quarterly numbers leaked in the export")
    IdeaFactory(title="Secret pricing tier idea")
    public_page = client.get("/").content.decode()
    assert "Quarterly numbers leaked" in public_page  # shown while the community is public
    CommunitySettings.objects.update_or_create(pk=1, defaults={"private": True})
    cache.clear()  # as staff saving the settings does
    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "This community is private" in html
    assert "Quarterly numbers leaked" not in html and "Secret pricing tier idea" not in html
    client.force_login(member)
    assert "Quarterly numbers leaked" in client.get("/").content.decode()


def _signup_from(client, address, n):
    data = {
        "email": f"farm{n}@example.com",
        "username": f"farm{n}",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": f"Farm {n}",
        "accept_rules": "on",
    }
    return client.post(reverse("account_signup"), data, REMOTE_ADDR=address)


def test_sign_ups_from_one_address_are_limited_to_a_few_per_hour(client):
    for n in range(5):
        assert _signup_from(client, "203.0.113.9", n).status_code == 302

    response = _signup_from(client, "203.0.113.9", 5)

    assert response.status_code == 429
    assert not Member.objects.filter(username="farm5").exists()
    # Another address is not affected.
    assert _signup_from(client, "198.51.100.7", 6).status_code == 302
    assert Member.objects.filter(username="farm6").exists()
