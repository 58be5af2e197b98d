"""Local HTTP servers for the webhook and widget tests, on this checkout's ports only."""

import http.server
import threading

import pytest

PORTS = range(8120, 8130)


def serve(handler_class: type[http.server.BaseHTTPRequestHandler], ports: range = PORTS):
    """A ThreadingHTTPServer on the first free port of ``ports``, running in a thread."""
    for port in ports:
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler_class)
        except OSError:
            continue
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return server, thread
    pytest.fail(f"No free port in {ports.start}-{ports.stop - 1}")
