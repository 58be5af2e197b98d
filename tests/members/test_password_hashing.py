"""Passwords are stored with Argon2id at OWASP's parameters (members/hashers.py); passwords
stored before with PBKDF2 still log in, and are stored again with Argon2id then."""

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client

from members.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

REAL_HASHERS = [
    "members.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def test_new_passwords_are_argon2id_with_owasps_parameters(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    member = MemberFactory()
    member.set_password("a long passphrase")
    member.save()
    assert member.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_pbkdf2_password_logs_in_and_is_stored_again_with_argon2id(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    member = MemberFactory()
    pbkdf2 = get_hasher("pbkdf2_sha256")
    Member.objects.filter(pk=member.pk).update(
        password=pbkdf2.encode("a long passphrase", pbkdf2.salt())
    )
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": member.username, "password": "a long passphrase"}
    )
    assert response.status_code == 302 and client.session.get("_auth_user_id")
    member.refresh_from_db()
    assert member.password.startswith("argon2$argon2id$")
