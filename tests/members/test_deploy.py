import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """``manage.py args`` in a process of its own, with ``env`` as its environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_in_production_mode_reports_no_warnings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x9$" + "k7Qv2mZp8Lr4Tn6Ws1Yb3Hc5Jd0Fg" * 3,
        "DJANGO_ALLOWED_HOSTS": "community.example.com",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_boot_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_ALLOWED_HOSTS": "x.example",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_refuses_to_boot_without_redis():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_ALLOWED_HOSTS": "x.example",
            "DJANGO_SECRET_KEY": "x9$" + "k7Qv2mZp8Lr4Tn6Ws1Yb3Hc5Jd0Fg" * 3,
        }
    )
    result = manage(env, "check")
    assert result.returncode != 0
    assert "REDIS_URL is required" in result.stderr


def production_cookie_flags(**extra: str) -> list[str]:
    """SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE and LANGUAGE_COOKIE_SECURE as production
    settings give them, with ``extra`` in the environment."""
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x9$" + "k7Qv2mZp8Lr4Tn6Ws1Yb3Hc5Jd0Fg" * 3,
        "DJANGO_ALLOWED_HOSTS": "x.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_every_cookie_is_secure_in_production_mode():
    assert production_cookie_flags() == ["True", "True", "True"]


def test_secure_cookies_can_be_turned_off_for_a_plain_http_loopback_site():
    # ops/cluster.py serves production settings over plain HTTP on 127.0.0.1.
    assert production_cookie_flags(DJANGO_SECURE_COOKIES="0") == ["False", "False", "False"]
