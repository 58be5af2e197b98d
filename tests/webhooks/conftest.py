"""A real HTTP receiver for the webhook tests: a small threaded http.server on the first free
port of this checkout's range (8120-8129), answering each POST with the next status of its
script (then 200) and keeping every request it got."""

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from tests.webhooks.servers import serve
from webhooks.models import Endpoint, Event


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"


@pytest.fixture
def receiver():
    state = Receiver()
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.requests.append(Received(dict(self.headers), body, self.path))
                status = state.statuses.pop(0) if state.statuses else 200
                state.answered.append(status)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"try later")

        def log_message(self, *args):
            pass

    server, thread = serve(Handler)
    state.port = server.server_address[1]
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def endpoint_for(db, staff):
    """An endpoint of the receiver (allowed to be on this machine), for ``events``."""

    def make(receiver, events=(Event.QUESTION_CREATED,), **fields):
        return Endpoint.objects.create(
            name=fields.pop("name", "Receiver"),
            url=receiver.url,
            events=list(events),
            allow_private=True,
            created_by=staff,
            **fields,
        )

    return make
