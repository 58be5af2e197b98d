"""Run the test OpenID Connect provider: ``python -m tests.members.oidc_provider.serve PORT
CLIENT_ID CLIENT_SECRET REDIRECT_URI`` with OIDC_PROVIDER_DB and OIDC_RSA_PRIVATE_KEY set."""

import os
import sys

import django
from django.core.management import call_command


def main() -> None:
    port, client_id, client_secret, redirect_uri = sys.argv[1:5]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.members.oidc_provider.settings"
    django.setup()
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - after django.setup()
    from oauth2_provider.models import Application  # noqa: PLC0415 - after django.setup()

    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username="grace",
        defaults={"email": "grace@company.example", "first_name": "Grace", "last_name": "Hopper"},
    )
    Application.objects.get_or_create(
        client_id=client_id,
        defaults={
            "client_secret": client_secret,
            "name": "Veche",
            "user": user,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": redirect_uri,
            "skip_authorization": True,
            "algorithm": Application.RS256_ALGORITHM,
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main()
