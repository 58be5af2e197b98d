"""Log-in with Google and GitHub through allauth's real views, the providers' HTTP endpoints
faked at the boundary (``requests.Session.request``: no network): start → the provider's
authorize URL with a state → the callback with a code → token exchange and user info → a
member. The first log-in creates the member, the second finds them through the link, and an
address the provider did not verify never opens an existing member's account."""

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client
from django.urls import reverse

from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

CLIENT_ID = {"google": "google-client-id.apps.example", "github": "github-client-id"}
SECRET = {"google": "google-secret-0123456789", "github": "github-secret-0123456789"}
AUTHORIZE = {
    "google": "https://accounts.google.com/o/oauth2/v2/auth",
    "github": "https://github.com/login/oauth/authorize",
}


@dataclass
class FakeProvider:
    """What Google's or GitHub's servers answer. ``person`` is the signed-in user there."""

    provider: str
    person: dict[str, Any]
    codes: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def authorize(self, url: str) -> str:
        """The browser at the provider's authorize page: the person agrees, and the provider
        sends them back to the callback with a single-use code and the state unchanged."""
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == AUTHORIZE[self.provider]
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        assert query["client_id"] == CLIENT_ID[self.provider]
        assert query["response_type"] == "code"
        assert query["state"]
        code = uuid.uuid4().hex
        self.codes[code] = dict(self.person)
        return f"{query['redirect_uri']}?code={code}&state={query['state']}"

    def __call__(self, session, method: str, url: str, *args: Any, **kwargs: Any):
        self.calls.append((method, url))
        headers = kwargs.get("headers") or {}
        if self.provider == "google" and url == "https://oauth2.googleapis.com/token":
            return self._token(kwargs)
        if self.provider == "github" and url == "https://github.com/login/oauth/access_token":
            return self._token(kwargs)
        if self.provider == "github" and url.startswith("https://api.github.com/"):
            person = self._bearer(headers.get("Authorization", ""), "token ")
            if person is None:
                return _response(401, {"message": "Bad credentials"})
            if url == "https://api.github.com/user":
                return _response(200, {key: v for key, v in person.items() if key != "emails"})
            if url == "https://api.github.com/user/emails":
                return _response(200, person["emails"])
        raise AssertionError(f"unexpected request in a test: {method} {url}")

    def _token(self, kwargs: dict) -> requests.Response:
        data = kwargs.get("data") or {}
        person = self.codes.pop(data.get("code"), None)  # a code is good once
        auth = kwargs.get("auth")
        client = (
            (auth.username, auth.password)
            if auth
            else (data.get("client_id"), data.get("client_secret"))
        )
        if person is None or client != (CLIENT_ID[self.provider], SECRET[self.provider]):
            return _response(400, {"error": "invalid_grant"})
        token = uuid.uuid4().hex
        self.tokens[token] = person
        body: dict[str, Any] = {"access_token": token, "token_type": "bearer", "expires_in": 3600}
        if self.provider == "google":
            now = int(time.time())
            body["id_token"] = jwt.encode(
                {
                    "iss": "https://accounts.google.com",
                    "aud": CLIENT_ID["google"],
                    "iat": now,
                    "exp": now + 3600,
                    **person,
                },
                "not-checked: the token came straight from Google over TLS",
                algorithm="HS256",
            )
        return _response(200, body)

    def _bearer(self, header: str, prefix: str) -> dict | None:
        return self.tokens.get(header.removeprefix(prefix)) if header.startswith(prefix) else None


def _response(status: int, body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def google_person(email: str, *, verified: bool, sub: str = "108240000000000000001") -> dict:
    return {
        "sub": sub,
        "email": email,
        "email_verified": verified,
        "name": "Grace Hopper",
        "given_name": "Grace",
        "family_name": "Hopper",
    }


def github_person(emails: list[dict], *, user_id: int = 583231, public: str | None = None) -> dict:
    return {
        "id": user_id,
        "login": "octocat",
        "name": "The Octocat",
        "email": public,
        "html_url": "https://github.com/octocat",
        "emails": emails,
    }


@pytest.fixture(params=["settings", "admin"])
def enabled(request, settings):
    """Each provider on either way: the settings the environment fills (VECHE_GOOGLE_…,
    VECHE_GITHUB_…) or a "Social application" staff add in the admin."""

    def enable(provider: str) -> None:
        if request.param == "settings":
            settings.SOCIALACCOUNT_PROVIDERS = {
                provider: {"APPS": [{"client_id": CLIENT_ID[provider], "secret": SECRET[provider]}]}
            }
        else:
            settings.SOCIALACCOUNT_PROVIDERS = {}
            SocialApp.objects.create(
                provider=provider,
                name=provider.title(),
                client_id=CLIENT_ID[provider],
                secret=SECRET[provider],
            )

    return enable


@pytest.fixture
def fake(monkeypatch):
    def install(provider: str, person: dict) -> FakeProvider:
        server = FakeProvider(provider, person)

        def request(session, method, url, *args, **kwargs):
            return server(session, method, url, *args, **kwargs)

        monkeypatch.setattr(requests.Session, "request", request)
        return server

    return install


def log_in(client: Client, provider: str, server: FakeProvider):
    """The whole round trip; returns Veche's answer to the callback."""
    start = client.post(reverse(f"{provider}_login"))
    assert start.status_code == 302
    callback = urlsplit(server.authorize(start["Location"]))
    assert callback.path == reverse(f"{provider}_callback")
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def assert_linked(member: Member, provider: str, uid: str) -> None:
    account = SocialAccount.objects.get(user=member)
    assert (account.provider, account.uid) == (provider, uid)


def assert_the_second_log_in_finds(member: Member, provider: str, server: FakeProvider) -> None:
    again = Client()
    assert log_in(again, provider, server)["Location"] == "/"
    assert signed_in_as(again) == member.pk
    assert Member.objects.count() == 1 and SocialAccount.objects.count() == 1


def assert_nothing_opened(client: Client, done) -> None:
    """allauth answers as to any sign-up with a taken address (nothing tells the visitor the
    address has an account): "check your e-mail", and the member is told by e-mail."""
    assert done.status_code == 302
    assert done["Location"] == reverse("account_email_verification_sent")
    assert signed_in_as(client) is None
    assert Member.objects.count() == 1 and not SocialAccount.objects.exists()


# --- Google ------------------------------------------------------------------------------


def test_google_first_log_in_creates_the_member_second_finds_them(enabled, fake):
    enabled("google")
    server = fake("google", google_person("grace@gmail.example", verified=True))
    client = Client()
    assert "Google" in client.get(reverse("account_login")).content.decode()
    done = log_in(client, "google", server)
    assert done.status_code == 302 and done["Location"] == "/"
    member = Member.objects.get(email="grace@gmail.example")
    assert signed_in_as(client) == member.pk
    assert EmailAddress.objects.get(user=member).verified  # Google said so
    assert_linked(member, "google", "108240000000000000001")
    assert ("POST", "https://oauth2.googleapis.com/token") in server.calls

    assert_the_second_log_in_finds(member, "google", server)


def test_google_unverified_address_is_not_taken_as_verified(enabled, fake):
    enabled("google")
    server = fake("google", google_person("new@gmail.example", verified=False))
    client = Client()
    done = log_in(client, "google", server)
    member = Member.objects.get(email="new@gmail.example")
    assert not EmailAddress.objects.get(user=member).verified
    # The site's mandatory verification applies: a confirmation e-mail, no session yet.
    assert done.status_code == 302 and done["Location"] == reverse(
        "account_email_verification_sent"
    )
    assert signed_in_as(client) is None


@pytest.mark.parametrize("verified", [False, True])
def test_google_address_of_an_existing_member_never_opens_their_account(enabled, fake, verified):
    enabled("google")
    MemberFactory(email="victim@example.com")
    server = fake("google", google_person("victim@example.com", verified=verified))
    client = Client()
    assert_nothing_opened(client, log_in(client, "google", server))
    # The member can link Google from Settings → "Linked accounts" while signed in.


def test_google_refuses_a_callback_with_another_state(enabled, fake):
    enabled("google")
    server = fake("google", google_person("grace@gmail.example", verified=True))
    client = Client()
    start = client.post(reverse("google_login"))
    callback = urlsplit(server.authorize(start["Location"]))
    forged = callback.query.replace("state=", "state=x")
    response = client.get(f"{callback.path}?{forged}")
    assert response.status_code == 401  # allauth's "third-party log-in failure" page
    assert signed_in_as(client) is None
    assert not Member.objects.filter(email="grace@gmail.example").exists()
    assert ("POST", "https://oauth2.googleapis.com/token") not in server.calls


# --- GitHub ------------------------------------------------------------------------------


def test_github_first_log_in_creates_the_member_with_the_primary_verified_address(enabled, fake):
    enabled("github")
    server = fake(
        "github",
        github_person(
            [
                {"email": "old@example.org", "primary": False, "verified": False},
                {"email": "octo@work.example", "primary": True, "verified": True},
            ],
            public="public@example.org",
        ),
    )
    client = Client()
    assert "GitHub" in client.get(reverse("account_login")).content.decode()
    done = log_in(client, "github", server)
    assert done.status_code == 302 and done["Location"] == "/"
    member = Member.objects.get(email="octo@work.example")
    assert signed_in_as(client) == member.pk
    assert member.username == "octocat"
    assert EmailAddress.objects.get(user=member, email="octo@work.example").verified
    assert not EmailAddress.objects.filter(
        user=member, email__in=["old@example.org", "public@example.org"], verified=True
    ).exists()
    assert_linked(member, "github", "583231")
    assert ("GET", "https://api.github.com/user/emails") in server.calls

    assert_the_second_log_in_finds(member, "github", server)


def test_github_unverified_primary_address_is_not_taken_as_verified(enabled, fake):
    enabled("github")
    server = fake(
        "github", github_person([{"email": "new@work.example", "primary": True, "verified": False}])
    )
    client = Client()
    done = log_in(client, "github", server)
    member = Member.objects.get(email="new@work.example")
    assert not EmailAddress.objects.get(user=member).verified
    assert done["Location"] == reverse("account_email_verification_sent")
    assert signed_in_as(client) is None


def test_github_unverified_address_of_an_existing_member_never_opens_their_account(enabled, fake):
    enabled("github")
    MemberFactory(email="victim@example.com")
    server = fake(
        "github",
        github_person([{"email": "victim@example.com", "primary": True, "verified": False}]),
    )
    client = Client()
    assert_nothing_opened(client, log_in(client, "github", server))


def test_a_provider_nobody_set_up_is_not_found(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert Client().post(reverse("github_login")).status_code == 404
    assert Client().post(reverse("google_login")).status_code == 404
