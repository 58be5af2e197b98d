"""Screenshots of the main pages and the app icons (``make screenshots``).

Seeds the demo community into a throwaway SQLite database, serves it with ``runserver`` on a
free loopback port, and drives Debian's chromium (Playwright, as the browser tests do) through
the main pages as a visitor, a member, a moderator, staff and an ambassador: a PNG of each at
1280 px and at 390 px goes to docs/screenshots/ (the README shows a few). It also renders the
PNG app icons browsers ask for (static/icons/: the apple-touch icon and the web manifest's
192 and 512 px icons) from static/favicon.svg, so the repository holds no hand-made image.
"""

import argparse
import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
OUT = ROOT / "docs" / "screenshots"
ICONS = ROOT / "static" / "icons"
DEMO_PASSWORD = "veche-demo"  # members/demo.py
WIDTHS = {1280: 800, 390: 844}  # viewport width: height (a laptop, a phone)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def open_first(selector: str) -> Callable[[Page], None]:
    """Follow the first link matching ``selector`` (a row of a list, found by its class)."""

    def action(page: Page) -> None:
        page.locator(selector).first.click()
        page.wait_for_load_state()

    return action


def open_menu(page: Page) -> None:
    page.locator(".site-menu > summary").click()


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    as_user: str | None = None
    then: Callable[[Page], None] | None = None
    dark: bool = False
    only_width: int | None = None


SHOTS = [
    Shot("home", "/"),
    Shot("home-dark", "/", dark=True),
    Shot("home-menu", "/", then=open_menu, only_width=390),
    Shot("questions", "/questions/"),
    Shot("question", "/questions/?status=solved", "member", open_first(".question-row a")),
    Shot("ask", "/questions/ask/", "member"),
    Shot("faq", "/faq/"),
    Shot("ideas", "/ideas/"),
    Shot("idea", "/ideas/", then=open_first(".idea-row .post-title")),
    Shot("search", "/search/?q=export"),
    Shot("profile", "/members/member/"),
    Shot("moderation", "/moderation/", "moderator"),
    Shot("analytics", "/staff/analytics/", "admin"),
    Shot("ambassador", "/ambassadors/", "ambassador"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_site(workdir: Path) -> Iterator[str]:
    """The demo community on a fresh SQLite database, served until the block ends."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}", DJANGO_DEBUG="1")
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "seed_demo", "--quiet"], check=True, env=env, cwd=ROOT)
    port = free_port()
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5)  # noqa: S310 (our loopback server)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"the demo server did not start: see {log.name}") from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Login").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Account menu of").wait_for()


def take(browser: Browser, base: str, out: Path) -> list[Path]:
    written = []
    for width, height in WIDTHS.items():
        pages: dict[tuple[str | None, bool], Page] = {}
        for shot in SHOTS:
            if shot.only_width not in (None, width):
                continue
            key = (shot.as_user, shot.dark)
            if key not in pages:
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme="dark" if shot.dark else "light",
                    locale="en",
                )
                pages[key] = context.new_page()
                if shot.as_user:
                    log_in(pages[key], base, shot.as_user)
            page = pages[key]
            page.goto(base + shot.path)
            if shot.then:
                shot.then(page)
            path = out / f"{shot.name}-{width}.png"
            page.screenshot(path=str(path))
            written.append(path)
        for page in pages.values():
            page.context.close()
    return written


def render_icons(browser: Browser, out: Path) -> list[Path]:
    """PNG icons from the SVG favicon: the apple-touch icon on an opaque square (iOS rounds
    the corners itself and shows transparency as black), the manifest's with its own."""
    svg = base64.b64encode((ROOT / "static" / "favicon.svg").read_bytes()).decode()
    written = []
    for name, size, opaque in [
        ("apple-touch-icon.png", 180, True),
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
    ]:
        page = browser.new_page(viewport={"width": size, "height": size})
        background = "#1f5fbf" if opaque else "transparent"
        page.set_content(
            f'<body style="margin:0;background:{background}">'
            f'<img src="data:image/svg+xml;base64,{svg}" width="{size}" height="{size}"></body>'
        )
        page.screenshot(path=str(out / name), omit_background=not opaque)
        page.close()
        written.append(out / name)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--icons-only", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    ICONS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        written = render_icons(browser, ICONS)
        if not args.icons_only:
            with tempfile.TemporaryDirectory(prefix="veche-screenshots-") as workdir:
                with demo_site(Path(workdir)) as base:
                    written += take(browser, base, args.out)
        browser.close()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
