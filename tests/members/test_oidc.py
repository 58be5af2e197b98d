"""Log-in through a company's OpenID Connect provider, end to end: a real provider
(django-oauth-toolkit, tests/members/oidc_provider/) runs in a subprocess on a local port
with an RSA key made for the run; Veche's allauth ``openid_connect`` provider points at it."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from members.models import Member

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PORT = 8131
ISSUER = f"http://127.0.0.1:{PORT}/o"
CLIENT_ID = "veche-test-client"
CLIENT_SECRET = "veche-test-secret-0123456789"
CALLBACK = "http://testserver/accounts/oidc/company/login/callback/"


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the OIDC provider stopped: " + process.stderr.read().decode())
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the OIDC provider did not start")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            pytest.fail(f"port {PORT} is taken")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        **os.environ,
        "OIDC_RSA_PRIVATE_KEY": pem,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(  # noqa: S603 - our own test provider
        [
            sys.executable,
            "-m",
            "tests.members.oidc_provider.serve",
            str(PORT),
            CLIENT_ID,
            CLIENT_SECRET,
            CALLBACK,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(f"{ISSUER}/.well-known/openid-configuration", process)
        yield ISSUER
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def company_idp(settings, provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "company",
                    "name": "Company account",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider},
                }
            ],
        }
    }


def log_in_through_the_provider(client: Client) -> None:
    """Veche → the provider (which signs Grace in and authorizes) → Veche's callback."""
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "company"}))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(ISSUER + "/authorize/")
    browser = requests.Session()
    response = browser.get(
        f"http://127.0.0.1:{PORT}/login/",
        params={"next": authorize.split(f"127.0.0.1:{PORT}", 1)[1]},
        allow_redirects=False,
        timeout=10,
    )
    location = response.headers["Location"]
    while not location.startswith("http://testserver/"):
        url = location if location.startswith("http") else f"http://127.0.0.1:{PORT}{location}"
        response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        location = response.headers["Location"]
    callback = urlsplit(location)
    done = client.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 302, done.content.decode()[:2000]
    assert done["Location"] == "/"


def test_first_log_in_creates_the_account_second_log_in_uses_the_link(company_idp):
    client = Client()
    assert "Company account" in client.get(reverse("account_login")).content.decode()
    log_in_through_the_provider(client)
    member = Member.objects.get(email="grace@company.example")
    assert int(client.session["_auth_user_id"]) == member.pk
    account = SocialAccount.objects.get(user=member)
    assert account.provider == "company"
    assert member.emailaddress_set.get().verified

    again = Client()
    log_in_through_the_provider(again)
    assert int(again.session["_auth_user_id"]) == member.pk
    assert Member.objects.count() == 1
    assert SocialAccount.objects.count() == 1
