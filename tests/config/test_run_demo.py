"""`make run` runs the scheduled jobs too (issue 20, point 9): its launcher (ops/run_demo.py)
starts the site and a Celery worker with beat on a file broker. A member who signs up gets
the welcome letter on the console after the configured delay, with nothing typed by hand;
Ctrl-C stops both processes."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ops.run_demo import commands, demo_env

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct-horse-battery-42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(predicate, timeout: float, what: str, output: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {timeout} s; output:\n{output.read_text()[-4000:]}")


class Browser:
    """Just enough of a browser for Django's forms: cookies and the CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post_form(self, path: str, data: dict[str, str]) -> str:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:2000]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **data}).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def test_make_run_sends_the_welcome_letter_after_the_delay_and_ctrl_c_stops_all(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "VECHE_FILE_BROKER_DIR": str(tmp_path / "broker"),
        "VECHE_OUTBOX_JOURNAL_DIR": str(tmp_path / "journal"),
        "VECHE_WELCOME_DELAY_SECONDS": "2",
        "VECHE_WELCOME_SWEEP_SECONDS": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    output = tmp_path / "console.txt"
    with output.open("wb") as sink:
        launcher = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "ops.run_demo", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"

        def site_up() -> bool:
            try:
                urllib.request.urlopen(base + "/accounts/signup/", timeout=2).close()
            except OSError:
                return False
            return True

        _wait_for(site_up, 90, "the site coming up", output)
        browser = Browser(base)
        browser.post_form(
            "/accounts/signup/",
            {
                "email": "newcomer@example.com",
                "username": "newcomer",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "New Comer",
                "accept_rules": "on",
            },
        )
        # The verification letter prints on the console; following it verifies the address.
        link = _wait_for(
            lambda: re.search(
                r"http://[^/\s]+(/accounts/confirm-email/[^\s]+/)", output.read_text()
            ),
            30,
            "the verification letter",
            output,
        )
        browser.post_form(link.group(1), {})
        # Nobody types a command: beat sweeps, the worker writes and sends the letter.
        _wait_for(
            # The manager's welcome letter (members.letters, its default text)
            lambda: "Subject: Welcome to Veche, New Comer" in output.read_text(),
            60,
            "the welcome letter",
            output,
        )
        assert "To: newcomer@example.com" in output.read_text()
    finally:
        launcher.send_signal(signal.SIGINT)
        try:
            launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            launcher.kill()
            pytest.fail("the launcher did not stop on Ctrl-C")
    # Both children are gone with it: nothing listens on the port any more.
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_the_launcher_starts_the_site_and_a_worker_with_beat_on_the_file_broker(tmp_path):
    env = demo_env({"VECHE_FILE_BROKER_DIR": str(tmp_path / "broker")})
    assert env["VECHE_SQLITE_SHARED"] == "1" and (tmp_path / "broker").is_dir()
    site, worker = commands("127.0.0.1:8000", env)
    assert site[-2:] == ["runserver", "127.0.0.1:8000"]
    assert "worker" in worker and "--beat" in worker
