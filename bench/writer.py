"""The mixed workload's writes: members voting, answering, commenting, following and logging
in, sent at a fixed rate while wrk reads.

Open loop: write *i* is due at ``start + i / rate`` whatever happened to the earlier ones
(a pool of threads sends them), and its latency is counted from the moment it was due, so a
slow site cannot lower the rate it is measured at. Each member sends from its own loopback
address (127.1.x.y), as members come from their own addresses, so per-address limits (the
login rate limit) apply per member as they would on the site. Every form is posted the way a
browser posts it: session and CSRF cookies, the form's CSRF token, an Origin header.
"""

import http.client
import random
import re
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

# Share of writes per kind (sums to 1); ``--write-mix`` changes it.
WRITE_MIX = {"vote": 0.40, "comment": 0.20, "answer": 0.15, "follow": 0.15, "login": 0.10}


def parse_write_mix(text: str) -> dict[str, float]:
    """``vote=40,comment=20,...`` (any scale, normalized) over the kinds of ``WRITE_MIX``."""
    mix = {}
    for part in text.split(","):
        if not part.strip():
            continue
        kind, _sep, weight = part.partition("=")
        if kind.strip() not in WRITE_MIX or not weight.strip():
            raise ValueError(f"write mix: {part!r} (kinds: {', '.join(WRITE_MIX)})")
        mix[kind.strip()] = float(weight)
    total = sum(mix.values())
    if total <= 0:
        raise ValueError("write mix: the weights add up to nothing")
    return {kind: mix.get(kind, 0.0) / total for kind in WRITE_MIX}


TIMEOUT_S = 10.0
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORDS = (
    "export import report webhook token billing invoice mobile sync error timeout page "
    "settings permission role filter search upload download schedule limit api"
).split()


@dataclass
class Member:
    id: int
    username: str
    session: str  # "sessionid=..."
    address: str  # the loopback address this member sends from
    csrf_cookie: str = ""
    csrf_token: str = ""


@dataclass
class Write:
    kind: str
    status: int  # 0: no response (socket error or timeout)
    ms: float
    error: str = ""


@dataclass
class WriteLog:
    writes: list[Write] = field(default_factory=list)
    late_starts: int = 0  # writes sent more than 100 ms after they were due (client saturated)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)


def member_address(index: int) -> str:
    return f"127.1.{index // 250}.{index % 250 + 1}"


def _cookie_values(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


class Site:
    """Plain HTTP to the bench server from a given loopback address (no cookie jar: every
    request says which cookies it sends). ``write_port``: the write lane, a gunicorn of its own
    that gets every request but GET and HEAD, as nginx sends them in docs/deployment.md; the
    Host header stays the site's, as nginx passes it."""

    def __init__(self, port: int, write_port: int | None = None) -> None:
        self.port = port
        self.write_port = write_port or port
        self.origin = f"http://127.0.0.1:{port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        address: str,
        cookies: str = "",
        form: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str, str]:
        """Status, the cookies set, the body and the redirect's location."""
        port = self.port if method in ("GET", "HEAD") else self.write_port
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=TIMEOUT_S, source_address=(address, 0)
        )
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "User-Agent": "veche-bench-writer",
            "Accept-Language": "en",
        }
        body = None
        if cookies:
            headers["Cookie"] = cookies
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            location = response.headers.get("Location", "")
            return response.status, _cookie_values(response), text, location
        finally:
            conn.close()


def obtain_csrf(site: Site, member: Member, path: str) -> bool:
    """Read a page as the member, as a browser would before posting: keep the CSRF cookie and
    the token of the page's forms."""
    try:
        status, cookies, text, _location = site.request(
            "GET", path, address=member.address, cookies=member.session
        )
    except OSError:
        return False
    match = _TOKEN.search(text)
    if "csrftoken" in cookies:
        member.csrf_cookie = cookies["csrftoken"]
    if match:
        member.csrf_token = match.group(1)
    return status == 200 and bool(member.csrf_cookie and member.csrf_token)


class Writer:
    """Sends ``rate`` writes per second for ``duration`` seconds (at most rate × duration)."""

    def __init__(
        self,
        *,
        site: Site,
        material: dict[str, Any],
        members: list[Member],
        rate: float,
        duration: float,
        seed: int,
        mix: dict[str, float] | None = None,
    ) -> None:
        self.site = site
        self.mix = mix or WRITE_MIX
        self.rate = rate
        self.duration = duration
        self.rng = random.Random(seed)
        self.rng_lock = threading.Lock()
        self.members = [m for m in members if m.csrf_token]
        self.questions = [q for q in material["questions"] if q["open"]]
        self.answers = material["answers"]
        self.password = material["password"]
        self.login_path = material["urls"]["login"]
        self.log = WriteLog()
        self.counter = 0
        self._thread: threading.Thread | None = None

    # --- what one write is ---------------------------------------------------------------

    def _pick(self) -> tuple[str, Member, Any, str]:
        with self.rng_lock:
            kinds = list(self.mix)
            kind = self.rng.choices(kinds, weights=[self.mix[k] for k in kinds])[0]
            member = self.rng.choice(self.members)
            self.counter += 1
            words = " ".join(self.rng.sample(WORDS, 6))
            text = f"Bench note {self.counter} from {member.username}: {words}."
            if kind in ("vote", "comment") and self.answers and self.rng.random() < 0.5:
                target = ("answer", self.rng.choice(self.answers))
            else:
                target = ("question", self.rng.choice(self.questions))
            if target[1]["author"] == member.id:  # nobody votes on their own post
                target = ("question", self.rng.choice(self.questions))
            extra = self.rng.choices(["up", "down", "none"], weights=[0.75, 0.1, 0.15])[0]
            if kind == "follow":
                extra = self.rng.choices(["follow", "unfollow"], weights=[0.7, 0.3])[0]
        return kind, member, target, extra if kind in ("vote", "follow") else text

    def _form_post(self, member: Member, path: str, form: dict[str, str]) -> tuple[int, str]:
        """Status and error of a member's form post; a redirect to the login page means the
        session was not accepted, whatever the status says."""
        cookies = f"{member.session}; csrftoken={member.csrf_cookie}"
        status, _cookies, _text, location = self.site.request(
            "POST",
            path,
            address=member.address,
            cookies=cookies,
            form={"csrfmiddlewaretoken": member.csrf_token, **form},
        )
        if not 200 <= status < 400:
            return status, f"HTTP {status} {path}"
        if "/accounts/login/" in location:
            return status, f"signed out {path}"
        return status, ""

    def _login(self, member: Member, due: float) -> Write:
        """The login form, as a member who was signed out: read it, then post it."""
        status, cookies, text, _location = self.site.request(
            "GET", self.login_path, address=member.address
        )
        match = _TOKEN.search(text)
        if status != 200 or not match or "csrftoken" not in cookies:
            return Write("login", status, _ms_since(due), "no login form")
        status, cookies_after, _text, _location = self.site.request(
            "POST",
            self.login_path,
            address=member.address,
            cookies=f"csrftoken={cookies['csrftoken']}",
            form={
                "csrfmiddlewaretoken": match.group(1),
                "login": member.username,
                "password": self.password,
            },
        )
        signed_in = "sessionid" in cookies_after or any(
            name.endswith("sessionid") for name in cookies_after
        )
        error = "" if status == 302 and signed_in else "not signed in"
        return Write("login", status, _ms_since(due), error)

    def _send(self, due: float) -> None:
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif delay < -0.1:
            with self.log.lock:
                self.log.late_starts += 1
        kind, member, (target_kind, target), value = self._pick()
        try:
            if kind == "login":
                self.log.add(self._login(member, due))
                return
            if kind == "vote":
                path = f"/qa/{target_kind}/{target['id']}/vote/"
                status, error = self._form_post(member, path, {"value": value})
            elif kind == "comment":
                path = f"/qa/{target_kind}/{target['id']}/comment/"
                status, error = self._form_post(member, path, {"body": value})
            elif kind == "answer":
                path = f"/questions/{target['id']}/answer/"
                status, error = self._form_post(member, path, {"body": value * 2})
            else:
                path = f"/questions/{target['id']}/follow/"
                status, error = self._form_post(member, path, {"action": value})
            self.log.add(Write(kind, status, _ms_since(due), error))
        except (OSError, http.client.HTTPException) as exc:
            self.log.add(Write(kind, 0, _ms_since(due), type(exc).__name__))

    # --- pacing ----------------------------------------------------------------------------

    def _run(self) -> None:
        total = int(self.rate * self.duration)
        if total <= 0 or not self.members:
            return
        start = time.monotonic() + 0.05
        stop_by = start + self.duration + TIMEOUT_S + 5
        with ThreadPoolExecutor(max_workers=32, thread_name_prefix="bench-writer") as pool:
            for i in range(total):
                due = start + i / self.rate
                # Submit shortly before each write is due, so the pool holds no backlog.
                while (ahead := due - time.monotonic()) > 0.05:
                    time.sleep(min(ahead - 0.04, 0.5))
                if time.monotonic() > stop_by:
                    break
                pool.submit(self._send, due)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="bench-writer-pacer", daemon=True)
        self._thread.start()

    def join(self) -> WriteLog:
        if self._thread is not None:
            self._thread.join(timeout=self.duration + 2 * TIMEOUT_S + 10)
        return self.log


def _ms_since(due: float) -> float:
    return (time.monotonic() - due) * 1000


def _percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1], 1)


def summarize(log: WriteLog) -> dict[str, Any]:
    """Count, p50, p99 and errors, for all writes and per kind; the first few error texts."""

    def figures(writes: list[Write]) -> dict[str, Any]:
        times = [w.ms for w in writes]
        return {
            "count": len(writes),
            "p50_ms": _percentile(times, 50),
            "p99_ms": _percentile(times, 99),
            "errors": sum(1 for w in writes if w.error),
        }

    with log.lock:
        writes = list(log.writes)
    statuses: dict[str, int] = {}
    for w in writes:
        statuses[str(w.status)] = statuses.get(str(w.status), 0) + 1
    errors: dict[str, int] = {}
    for w in writes:
        if w.error:
            label = f"{w.kind}: {re.sub(r'/[0-9]+/', '/N/', w.error)}"
            errors[label] = errors.get(label, 0) + 1
    return {
        **figures(writes),
        "by_kind": {kind: figures([w for w in writes if w.kind == kind]) for kind in WRITE_MIX},
        "statuses": statuses,
        "error_kinds": dict(sorted(errors.items(), key=lambda kv: -kv[1])[:8]),
        "late_starts": log.late_starts,
    }
