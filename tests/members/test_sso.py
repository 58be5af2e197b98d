"""Log-in with the product's account: the signed handshake end to end, through the HTTP
layer (the product's side is played by the test, signing with the shared secret)."""

import base64
import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Member, ProductAccount, SsoGroupMapping, SsoNonce
from members.sso import SsoError, decode, encode
from tests.factories import MemberFactory, logged_in

pytestmark = pytest.mark.django_db

SECRET = "product-shared-secret-0123456789"
PRODUCT_URL = "https://product.example/veche-sso"


@pytest.fixture(autouse=True)
def sso_on(settings):
    settings.VECHE_SSO_URL = PRODUCT_URL
    settings.VECHE_SSO_SECRET = SECRET
    settings.VECHE_SSO_ONLY = False


def start(client: Client, next_url: str = "") -> tuple[str, str]:
    """Go to the product like the log-in button does; returns (nonce, return address)."""
    url = reverse("members:sso-login") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == PRODUCT_URL
    query = parse_qs(location.query)
    payload = parse_qs(base64.b64decode(query["sso"][0]).decode())
    return payload["nonce"][0], payload["return_sso_url"][0]


def answer(nonce: str, secret: str = SECRET, **fields: str) -> str:
    """The product's signed answer, as the path and query Veche receives."""
    values = {
        "nonce": nonce,
        "external_id": "cust-42",
        "email": "ada@customer.example",
        "email_verified": "true",
        "name": "Ada Lovelace",
        "username": "ada",
        "avatar_url": "https://product.example/avatars/42.png",
        "groups": "enterprise,beta",
        **fields,
    }
    sso, sig = encode(values, secret)
    return reverse("members:sso-return") + "?" + urlencode({"sso": sso, "sig": sig})


def sign_in(client: Client, next_url: str = "", **fields: str):
    nonce, _ = start(client, next_url)
    return client.get(answer(nonce, **fields))


def test_login_page_offers_the_product_account():
    response = Client().get(reverse("account_login"))
    assert "Log in with your product account" in response.content.decode()
    assert reverse("members:sso-login") in response.content.decode()


def test_a_new_member_is_created_signed_in_and_sent_where_they_were_going():
    client = Client()
    nonce, return_url = start(client, next_url="/questions/")
    assert return_url.endswith(reverse("members:sso-return"))
    response = client.get(answer(nonce))
    assert response.status_code == 302
    assert response["Location"] == "/questions/"
    member = Member.objects.get(product_account__external_id="cust-42")
    assert (member.username, member.email, member.display_name) == (
        "ada",
        "ada@customer.example",
        "Ada Lovelace",
    )
    assert not member.has_usable_password()
    assert EmailAddress.objects.get(user=member).verified
    account = member.product_account
    assert account.groups == ["enterprise", "beta"]
    assert account.avatar_url == "https://product.example/avatars/42.png"
    assert client.get(reverse("members:settings")).status_code == 200
    assert SsoNonce.objects.count() == 0


def test_a_linked_member_signs_in_again_and_their_profile_follows_the_product():
    sign_in(Client())
    member = Member.objects.get(product_account__external_id="cust-42")
    client = Client()
    response = sign_in(client, email="ada@newjob.example", name="Ada King", username="ada_k")
    assert response.status_code == 302
    member.refresh_from_db()
    assert Member.objects.count() == 1
    assert (member.email, member.display_name, member.username) == (
        "ada@newjob.example",
        "Ada King",
        "ada_k",
    )
    assert EmailAddress.objects.get(user=member, primary=True).email == "ada@newjob.example"
    assert int(client.session["_auth_user_id"]) == member.pk


def test_an_existing_member_is_linked_through_a_verified_address():
    existing = MemberFactory(email="ada@customer.example", username="ada_old")
    response = sign_in(Client())
    assert response.status_code == 302
    assert ProductAccount.objects.get(external_id="cust-42").member == existing
    assert Member.objects.count() == 1


def test_an_unverified_address_never_links_an_existing_member(caplog):
    existing = MemberFactory(email="ada@customer.example")
    client = Client()
    with caplog.at_level(logging.WARNING, logger="veche.sso"):
        response = sign_in(client, email_verified="false")
    assert response.status_code == 400
    assert "has not verified that it is yours" in response.content.decode()
    assert not ProductAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    assert "unverified-email-of-existing-member" in caplog.text
    assert Member.objects.get() == existing


def test_a_replayed_answer_is_refused_and_logged(caplog):
    client = Client()
    nonce, _ = start(client)
    signed = answer(nonce)
    assert client.get(signed).status_code == 302
    client.logout()
    with caplog.at_level(logging.WARNING, logger="veche.sso"):
        response = client.get(signed)
    assert response.status_code == 400
    assert "already used" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "nonce-used-or-unknown" in caplog.text


def test_a_bad_signature_is_refused_and_logged(caplog):
    client = Client()
    nonce, _ = start(client)
    with caplog.at_level(logging.WARNING, logger="veche.sso"):
        response = client.get(answer(nonce, secret="someone-elses-secret-000000"))
    assert response.status_code == 400
    assert "not signed correctly" in response.content.decode()
    assert not Member.objects.exists()
    assert "bad-signature" in caplog.text
    # The nonce is still usable by the real answer: a forged one did not burn it.
    assert client.get(answer(nonce)).status_code == 302


def test_a_tampered_payload_is_refused():
    client = Client()
    nonce, _ = start(client)
    url = answer(nonce)
    sso, sig = encode({"nonce": nonce, "external_id": "x", "email": "x@x.example"}, SECRET)
    forged = url.split("?")[0] + "?" + urlencode({"sso": sso + "AA", "sig": sig})
    assert client.get(forged).status_code == 400
    assert client.get(reverse("members:sso-return")).status_code == 400
    assert not Member.objects.exists()


def test_an_expired_answer_is_refused_and_logged(caplog, settings):
    client = Client()
    nonce, _ = start(client)
    SsoNonce.objects.filter(nonce=nonce).update(
        created_at=timezone.now() - timedelta(seconds=settings.VECHE_SSO_NONCE_SECONDS + 1)
    )
    with caplog.at_level(logging.WARNING, logger="veche.sso"):
        response = client.get(answer(nonce))
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Member.objects.exists()
    assert "expired" in caplog.text


def test_an_answer_started_in_another_browser_is_refused():
    nonce, _ = start(Client())
    victim = Client()
    response = victim.get(answer(nonce))
    assert response.status_code == 400
    assert "_auth_user_id" not in victim.session


def test_product_groups_map_to_veche_groups_and_badges():
    enterprise = Group.objects.create(name="Enterprise customers")
    SsoGroupMapping.objects.create(product_group="enterprise", group=enterprise, badge="advocate")
    SsoGroupMapping.objects.create(product_group="partners", group=Group.objects.create(name="P"))
    sign_in(Client(), groups="enterprise,beta")
    member = Member.objects.get(product_account__external_id="cust-42")
    assert set(member.groups.values_list("name", flat=True)) == {"Enterprise customers"}
    assert member.badge == "advocate"
    other = Group.objects.create(name="Unmapped")
    member.groups.add(other)
    sign_in(Client(), groups="partners")
    assert set(member.groups.values_list("name", flat=True)) == {"P", "Unmapped"}


def test_a_suspended_member_is_stopped_at_sso_login():
    sign_in(Client())
    Member.objects.filter(product_account__external_id="cust-42").update(
        suspended_until=timezone.now() + timedelta(days=1)
    )
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_staff_with_two_factor_still_pass_it_unless_the_product_asserts_mfa(settings):
    settings.VECHE_STAFF_MFA_REQUIRED = True
    staff = MemberFactory(email="ada@customer.example", is_staff=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    response = sign_in(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client = Client()
    response = sign_in(client, mfa="true")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_staff_without_two_factor_must_enrol_unless_the_product_asserts_mfa(settings):
    settings.VECHE_STAFF_MFA_REQUIRED = True
    MemberFactory(email="ada@customer.example", is_staff=True)
    client = Client()
    sign_in(client)
    assert client.get(reverse("members:settings"))["Location"] == reverse("mfa_activate_totp")
    client = Client()
    sign_in(client, mfa="true")
    assert client.get(reverse("members:settings")).status_code == 200


def test_sso_only_closes_sign_up_and_password_log_in(settings):
    settings.VECHE_SSO_ONLY = True
    member = MemberFactory()
    client = Client()
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="password"' not in page
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": "correct-horse-battery-42"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "closed" in client.get(reverse("account_signup")).content.decode().lower()
    assert sign_in(Client()).status_code == 302


def test_without_configuration_the_sso_pages_do_not_exist(settings):
    settings.VECHE_SSO_URL = ""
    assert Client().get(reverse("members:sso-login")).status_code == 404
    assert Client().get(reverse("members:sso-return")).status_code == 404
    assert "product account" not in Client().get(reverse("account_login")).content.decode()


def test_a_signed_in_member_may_also_use_sso_to_switch_accounts():
    member = MemberFactory()
    client = logged_in(member)
    assert sign_in(client).status_code == 302
    assert int(client.session["_auth_user_id"]) != member.pk


def test_discourse_connect_payloads_are_understood():
    sso, sig = encode(
        {"nonce": "n", "external_id": "7", "email": "a@b.example", "require_activation": "true"},
        SECRET,
    )
    identity = decode(sso, sig, SECRET)
    assert (identity.external_id, identity.email_verified, identity.groups) == ("7", False, ())
    sso, sig = encode({"nonce": "n", "external_id": "7", "email": "a@b.example"}, SECRET)
    assert decode(sso, sig, SECRET).email_verified
    for bad in ({"nonce": "n", "email": "a@b.example"}, {"nonce": "n", "external_id": "7"}):
        sso, sig = encode(bad, SECRET)
        with pytest.raises(SsoError, match="missing-fields"):
            decode(sso, sig, SECRET)
    with pytest.raises(SsoError, match="not-configured"):
        decode(sso, sig, "")
