"""The Content-Security-Policy (issue 15): every page carries it, it allows the site's own
scripts, styles and images only (plus the VECHE_IMG_SRC_ALLOW hosts), and no template needs
'unsafe-inline' because none holds an inline script, style or event handler."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.ambassadors.helpers import referral_path
from tests.browser import log_in
from tests.factories import PASSWORD, MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# <script> elements that hold data, not code: browsers never execute them, CSP ignores them.
_DATA_SCRIPT = re.compile(r'<script\s+type="application/(ld\+)?json"', re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
_STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "question", "signup", "search", "404"])
def test_every_page_carries_a_policy_without_unsafe_inline(client, no_page_cache, name):
    answer = AnswerFactory()
    url = {
        "home": "/",
        "question": answer.question.get_absolute_url(),
        "signup": reverse("account_signup"),
        "search": reverse("search:search") + "?q=widget",
        "404": "/no-such-page/",
    }[name]
    response = client.get(url)
    assert response.status_code in (200, 404)

    policy = _policy(response)
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_carries_the_policy_too(
    django_assert_num_queries,
):
    QuestionFactory()
    first = Client().get(reverse("forum:question-list"))
    with django_assert_num_queries(0):  # served from the visitors' page cache
        second = Client().get(reverse("forum:question-list"))
    assert first.headers["Content-Security-Policy"] == second.headers["Content-Security-Policy"]
    assert "script-src 'self'" in second.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_image_hosts_come_from_the_allow_list_setting(client, settings, no_page_cache):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": ["'self'", "https://images.example.org"],
        }
    }
    QuestionFactory()
    assert _policy(client.get("/"))["img-src"] == ["'self'", "https://images.example.org"]


def test_the_image_allow_list_defaults_to_the_site_only(settings):
    assert settings.VECHE_IMG_SRC_ALLOW == []
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'"]


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_holds_an_inline_script():
    offenders = []
    for path in _templates():
        text = path.read_text()
        for match in _SCRIPT.finditer(text):
            tag = match.group(0)
            if "src=" in match.group("attrs") or _DATA_SCRIPT.match(tag):
                continue
            offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert offenders == []


def test_no_template_holds_an_event_handler_or_a_style_attribute_or_element():
    offenders = []
    for path in _templates():
        text = path.read_text()
        for pattern in (_HANDLER, _STYLE_ATTR, re.compile(r"<style\b", re.IGNORECASE)):
            offenders += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)[:80]}" for m in pattern.finditer(text)
            ]
    assert offenders == []


def test_production_cookies_are_all_secure():
    """Every cookie the site sets is Secure in production: sessions, CSRF and language (the
    referral attribution cookie follows the session's flag)."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "veche.example",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=env,
        cwd=TEMPLATES.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "True"]


# Recorded from the first script of every document (Playwright injects it through the
# DevTools protocol, which CSP does not govern).
_RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_question_and_referral_pages_raise_no_policy_violation(live_server, page):
    answer = AnswerFactory(body="Use `widgets --save`, then **reload**.")
    member = MemberFactory()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(_RECORD_VIOLATIONS)

    visited = []
    for path in ["/", answer.question.get_absolute_url(), reverse("ideas:idea-list")]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        visited.append((path, page.evaluate("window.__csp")))
    log_in(page, live_server, member)
    for path in ["/", answer.question.get_absolute_url(), reverse("ambassadors:program")]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        visited.append((path, page.evaluate("window.__csp")))

    assert [(path, v) for path, v in visited if v] == []
    assert [text for text in console if "Content Security Policy" in text] == []
    # htmx itself loaded from the site's static files and runs under the policy.
    assert page.evaluate("typeof window.htmx") == "object"


@pytest.mark.django_db
def test_every_cookie_the_site_sets_is_secure_with_the_production_flags(client, settings):
    """With the production flags, no cookie of a visit (CSRF, referral attribution, language,
    session, messages) goes out without Secure."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    member = MemberFactory()
    responses = [
        client.get(referral_path(member), secure=True),
        client.get(reverse("account_login"), secure=True),
        client.post(
            reverse("account_login"),
            {"login": member.username, "password": PASSWORD},
            secure=True,
        ),
        client.post(reverse("members:language"), {"language": "ru", "next": "/"}, secure=True),
        client.post(reverse("members:notifications-read"), secure=True),
    ]
    cookies = {name: morsel for r in responses for name, morsel in r.cookies.items()}
    assert {
        "csrftoken",
        "sessionid",
        "messages",
        "veche_ref",
        settings.LANGUAGE_COOKIE_NAME,
    } <= set(cookies)
    assert [name for name, morsel in cookies.items() if not morsel["secure"]] == []
