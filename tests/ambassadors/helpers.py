import re

from django.urls import reverse

from tests.factories import PASSWORD


def signup(client, username="newbie", email=None, remote_addr="127.0.0.1", **overrides):
    data = {
        "email": email or f"{username}@example.net",
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": username.title(),
        "accept_rules": "on",
        **overrides,
    }
    return client.post(reverse("account_signup"), data, REMOTE_ADDR=remote_addr)


def link_from(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def referral_path(member) -> str:
    from ambassadors.services import referral_code_ensure

    return reverse(
        "ambassadors:referral-link", kwargs={"code": referral_code_ensure(member=member).code}
    )
