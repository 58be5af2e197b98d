"""The fault script's load on the cluster, through nginx: readers over real pages (anonymous
and signed in) and writers posting answers, comments and votes as signed-in members. Every
request is recorded with what came back, so the script can tell a Django 503 page from
nginx's 502 or a bare page, and every accepted write carries a token to look for in the
database afterwards. Bounded: each request has a timeout, each thread stops on an event and
is joined with a deadline.
"""

import http.client
import itertools
import random
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from bench.writer import member_address

TIMEOUT_S = 15.0
_TOKEN_FIELD = 'name="csrfmiddlewaretoken" value="'
WORDS = "export import report token billing invoice mobile sync error timeout page".split()


@dataclass
class Response:
    status: int  # 0: no response
    kind: str  # "ok", "503 page", "500 page", "nginx 502", "bare 500", "socket: …", "302"…
    body: str = ""
    location: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    retry_after: bool = False


# The site's own error pages (templates/errors/_bare.html), in whatever language they speak.
_ERROR_PAGE = '<div class="error-page">'


def classify(status: int, body: str) -> str:
    if status == 200:
        return "ok"
    if status == 503 and _ERROR_PAGE in body:
        return "503 page"
    if status == 500 and _ERROR_PAGE in body:
        return "500 page"
    if status >= 500 and "<center>nginx" in body:  # nginx-light adds its version
        return f"nginx {status}"
    if status >= 500:
        return f"bare {status}"
    return str(status)


def request(
    port: int,
    method: str,
    path: str,
    *,
    address: str = "127.0.0.1",
    cookies: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=TIMEOUT_S, source_address=(address, 0)
    )
    origin = f"http://127.0.0.1:{port}"
    headers = {"User-Agent": "veche-faults", "Accept-Language": "en"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers.update(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            }
        )
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        return Response(0, f"socket: {type(exc).__name__}")
    finally:
        conn.close()
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return Response(
        response.status,
        classify(response.status, text),
        text,
        response.headers.get("Location", ""),
        {name: morsel.value for name, morsel in jar.items()},
        response.headers.get("Retry-After") is not None,
    )


@dataclass
class Member:
    id: int
    address: str
    session: dict[str, str]  # the session cookie alone, for the readers (never changed)
    cookies: dict[str, str]  # the writer's cookie jar: the session and whatever the site sets
    csrf_token: str = ""


@dataclass
class Read:
    at: float
    kind: str
    retry_after: bool = False


@dataclass
class Write:
    at: float
    kind: str  # answer, comment, vote
    token: str  # looked for in the stored body (answers, comments)
    target: int  # the question (answer), the commented/voted answer
    member: int
    response: str  # classify()'s kind, or "accepted"
    seen_next: bool | None = None  # an answer: on the very next page the author read


class Load:
    """Readers and writers running in threads until ``stop()``."""

    def __init__(
        self,
        *,
        port: int,
        material: dict[str, Any],
        prefix: str,
        readers: int = 6,
        writers: int = 4,
        write_pause: float = 0.6,
        seed: int = 1,
    ) -> None:
        self.port = port
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.reads: list[Read] = []
        self.writes: list[Write] = []
        self.stopping = threading.Event()
        self.write_pause = write_pause
        self.questions = [q for q in material["questions"] if q["open"]]
        self.answers = material["answers"]
        paths = [q["url"] for q in material["questions"]]
        paths += material["tags"][:10] + ["/", "/questions/", "/questions/?page=2", "/faq/"]
        paths += ["/ideas/", "/search/?q=export", "/questions/?sort=votes"]
        self.paths = paths
        self.members = [
            Member(
                m["id"],
                member_address(i),
                dict([m["cookie"].split("=", 1)]),
                dict([m["cookie"].split("=", 1)]),
            )
            for i, m in enumerate(material["members"])
        ]
        self.counter = itertools.count(1)
        self.threads = [
            threading.Thread(target=self._read_loop, args=(i,), daemon=True) for i in range(readers)
        ]
        # Each writer signs in as its own members (no two threads share a cookie jar).
        self.threads += [
            threading.Thread(target=self._write_loop, args=(self.members[i::writers],), daemon=True)
            for i in range(writers)
        ]

    def start(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        deadline = time.monotonic() + TIMEOUT_S * 2 + 5
        for thread in self.threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))

    # --- readers ----------------------------------------------------------------------------

    def _read_loop(self, index: int) -> None:
        rng = random.Random(index)
        while not self.stopping.is_set():
            path = rng.choice(self.paths)
            # Half the readers are signed in: their pages need the session, from the cache
            # or the database.
            member = self.members[rng.randrange(len(self.members))] if index % 2 else None
            response = request(self.port, "GET", path, cookies=member.session if member else None)
            with self.lock:
                self.reads.append(Read(time.monotonic(), response.kind, response.retry_after))
            self.stopping.wait(0.05)

    # --- writers ----------------------------------------------------------------------------

    def _csrf(self, member: Member) -> bool:
        page = request(
            self.port, "GET", self.questions[member.id % len(self.questions)]["url"],
            address=member.address, cookies=member.cookies,
        )  # fmt: skip
        member.cookies.update(page.cookies)
        start = page.body.find(_TOKEN_FIELD)
        if page.status != 200 or start < 0 or "csrftoken" not in member.cookies:
            return False
        start += len(_TOKEN_FIELD)
        member.csrf_token = page.body[start : page.body.index('"', start)]
        return True

    def _write_loop(self, members: list[Member]) -> None:
        for member in self._cycle(members):
            if self.stopping.is_set():
                return
            if member.csrf_token or self._csrf(member):
                self._write(member)
            self.stopping.wait(self.write_pause)

    def _cycle(self, members: list[Member]) -> Iterator[Member]:
        while members:
            yield from members

    def _write(self, member: Member) -> None:
        with self.lock:
            kind = self.rng.choices(["answer", "comment", "vote"], weights=[4, 4, 2])[0]
            question = self.rng.choice(self.questions)
            answer = self.rng.choice([a for a in self.answers if a["author"] != member.id])
            words = " ".join(self.rng.sample(WORDS, 5))
        token = f"{self.prefix}{next(self.counter):06d}"
        text = f"Fault check {token}: {words}."
        if kind == "answer":
            target, path, form = question["id"], f"/questions/{question['id']}/answer/", text
        elif kind == "comment":
            target, path, form = answer["id"], f"/qa/answer/{answer['id']}/comment/", text
        else:
            target, path, form = answer["id"], f"/qa/answer/{answer['id']}/vote/", "up"
        field_name = "value" if kind == "vote" else "body"
        response = request(
            self.port, "POST", path, address=member.address, cookies=member.cookies,
            form={"csrfmiddlewaretoken": member.csrf_token, field_name: form},
        )  # fmt: skip
        member.cookies.update(response.cookies)
        accepted = response.status == 302 and "/accounts/login/" not in response.location
        write = Write(
            time.monotonic(), kind, token, target, member.id,
            "accepted" if accepted else response.kind,
        )  # fmt: skip
        if accepted and kind == "answer":
            # Read-your-writes: the page the site sends the author to, read at once, with
            # whatever cookies the post set.
            url = urllib.parse.urlsplit(response.location)
            page = request(
                self.port, "GET", url.path + (f"?{url.query}" if url.query else ""),
                address=member.address, cookies=member.cookies,
            )  # fmt: skip
            member.cookies.update(page.cookies)
            write.seen_next = token in page.body if page.status == 200 else None
        with self.lock:
            self.writes.append(write)
