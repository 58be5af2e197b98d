"""Every way in for staff passes the same two-factor step and the same log-in limits; staff
who must set up two-factor reach nothing else first, rules and pages included."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_totp(db):
    staff = MemberFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    staff._totp_secret = secret
    return staff


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_the_admin_log_in_form_never_signs_staff_in_by_password_alone(client, staff_with_totp):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff_with_totp.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/login/" in admin["Location"]
    assert client.get("/admin/members/member/").status_code == 302


def test_staff_reach_the_admin_only_after_the_two_factor_code(client, staff_with_totp):
    signed = client.post(
        reverse("account_login"), {"login": staff_with_totp.username, "password": PASSWORD}
    )
    assert signed.status_code == 302
    assert signed["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # the password alone opens nothing
    assert client.get(reverse("analytics:dashboard")).status_code == 302
    done = client.post(
        reverse("mfa_authenticate"), {"code": _current_code(staff_with_totp._totp_secret)}
    )
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_many_wrong_passwords_lock_the_only_log_in_form_staff_have(client, staff_with_totp):
    for _ in range(6):
        client.post(reverse("account_login"), {"login": staff_with_totp.username, "password": "x"})
    locked = client.post(
        reverse("account_login"), {"login": staff_with_totp.username, "password": PASSWORD}
    )
    assert locked.status_code in (200, 429)  # refused, not a redirect onwards
    assert "_auth_user_id" not in client.session
    # The admin's form is no side door: it only sends to the site's log-in.
    response = client.post(
        "/admin/login/", {"username": staff_with_totp.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_a_signed_in_member_who_is_not_staff_gets_a_403_from_the_admin_log_in(member_client):
    assert member_client.get("/admin/login/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/rules/",
        "/rules/publish/",
        "/pages/moderation-policy/publish/",
        "/admin/",
        "/moderation/",
    ],
)
def test_staff_without_two_factor_are_sent_to_set_it_up_from_every_staff_page(
    client, settings, url
):
    settings.VECHE_STAFF_MFA_REQUIRED = True
    staff = MemberFactory(is_staff=True, is_superuser=True)
    assert not Authenticator.objects.filter(user=staff).exists()
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    publish = client.post("/rules/publish/", {"change_summary": "sneaky"})
    assert publish.status_code == 302 and publish["Location"] == reverse("mfa_activate_totp")
    # What they need to set it up stays reachable (allauth first asks for the password again
    # after a while; no loop back to itself).
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200 or setup["Location"].startswith(
        reverse("account_reauthenticate")
    )
