"""Images from other hosts go through the site: signed addresses only, no private networks,
no redirects, images only, size-limited; a local HTTP server plays the other host."""

import http.server
import socket
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from config import outbound
from config.markdown import render_markdown
from tests.webhooks.servers import serve
from uploads.proxy import signature, signed_image_url

from .conftest import image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("store", "limits")]

PORTS = range(8135, 8140)


class Images:
    def __init__(self):
        self.port = 0
        self.paths: list[str] = []
        self.pages = {
            "/cat.png": ("image/png", image_bytes(size=(30, 20))),
            "/fake.png": ("image/png", b"<html><script>alert(1)</script></html>"),
            "/big.png": ("image/png", image_bytes(size=(10, 10)) + b"\0" * 3_000_000),
        }


@pytest.fixture
def other_host():
    state = Images()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            state.paths.append(self.path)
            if self.path == "/moved.png":
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{state.port}/cat.png")
                self.end_headers()
                return
            if self.path not in state.pages:
                self.send_response(404)
                self.end_headers()
                return
            content_type, body = state.pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server, thread = serve(Handler, PORTS)
    state.port = server.server_address[1]
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def reachable(settings, monkeypatch):
    """The local server plays images.test, on the loopback: allowed for the tests that
    need it."""
    settings.VECHE_IMAGE_PROXY_ALLOW_PRIVATE = True
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        return real("127.0.0.1" if host == "images.test" else host, port, *args, **kwargs)

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)
    return settings


def proxied(url: str) -> str:
    """The signed proxy address of ``url``, as the renderer writes it for another host."""
    return reverse("uploads:image-proxy") + "?" + urlencode({"url": url, "s": signature(url)})


def test_rendered_markdown_sends_other_hosts_images_through_the_site(settings):
    settings.ALLOWED_HOSTS = ["community.example.com"]
    html = render_markdown(
        "![a](https://images.example.org/a.png) ![b](/uploads/abc/b.png) "
        "![c](https://community.example.com/static/c.png)"
    )
    src = html.split('src="')[1].split('"')[0].replace("&amp;", "&")
    parts = urlsplit(src)
    assert parts.path == reverse("uploads:image-proxy")
    query = parse_qs(parts.query)
    assert query["url"] == ["https://images.example.org/a.png"]
    assert query["s"] == [signature("https://images.example.org/a.png")]
    assert 'src="/uploads/abc/b.png"' in html
    assert 'src="https://community.example.com/static/c.png"' in html


def test_an_image_is_fetched_once_and_served_with_nosniff(client, other_host, reachable):
    url = f"http://images.test:{other_host.port}/cat.png"
    for _ in range(2):
        response = client.get(proxied(url))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert other_host.paths == ["/cat.png"]  # the second came from the store


def test_an_unsigned_or_wrongly_signed_address_is_refused(client, other_host, reachable):
    url = f"http://images.test:{other_host.port}/cat.png"
    proxy = reverse("uploads:image-proxy")
    assert client.get(proxy, {"url": url}).status_code == 404
    assert client.get(proxy, {"url": url, "s": "forged"}).status_code == 404
    other = f"http://images.test:{other_host.port}/fake.png"
    assert client.get(proxy, {"url": other, "s": signature(url)}).status_code == 404
    assert other_host.paths == []


def test_what_is_not_an_image_is_refused(client, other_host, reachable):
    url = f"http://images.test:{other_host.port}/fake.png"
    assert client.get(proxied(url)).status_code == 404


def test_too_large_is_refused(client, other_host, reachable, settings):
    settings.VECHE_IMAGE_PROXY_MAX_BYTES = 1_000_000
    assert client.get(proxied(f"http://images.test:{other_host.port}/big.png")).status_code == 404


def test_redirects_are_not_followed(client, other_host, reachable):
    response = client.get(proxied(f"http://images.test:{other_host.port}/moved.png"))
    assert response.status_code == 404
    assert other_host.paths == ["/moved.png"]


def test_private_and_loopback_addresses_are_refused(client, other_host):
    """Without the tests' exception: the local server is never contacted."""
    for url in (
        f"http://127.0.0.1:{other_host.port}/cat.png",
        f"http://localhost:{other_host.port}/cat.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/a.png",
        "http://[::1]/a.png",
    ):
        assert client.get(proxied(url)).status_code == 404, url
    assert other_host.paths == []


def test_a_public_name_resolving_to_a_private_address_is_refused(client, monkeypatch):
    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.10", port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)
    assert client.get(proxied("https://images.example.org/a.png")).status_code == 404


def test_other_schemes_are_left_alone():
    assert signed_image_url("ftp://example.org/a.png") == "ftp://example.org/a.png"
    assert signed_image_url("/uploads/a/b.png") == "/uploads/a/b.png"
    assert signed_image_url("https://images.example.org/a.png") == proxied(
        "https://images.example.org/a.png"
    )
