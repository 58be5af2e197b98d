"""A WSGI application for tests/config/test_workers.py, served by a real gunicorn: it notes
the order in which requests start, and ``/slow`` keeps the thread busy for a while."""

import time

STARTED: list[str] = []


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/order":
        body = ",".join(STARTED).encode()
    else:
        STARTED.append(f"{environ['REQUEST_METHOD']} {path}")
        if path == "/slow":
            time.sleep(0.6)
        body = b"ok"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
