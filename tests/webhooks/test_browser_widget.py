"""A help centre on another origin embeds the widget with its one script tag, searches and
follows a result; an origin staff did not allow gets no widget."""

import http.server
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum.models import Question
from tests.forum.factories import QuestionFactory
from tests.webhooks.servers import serve
from webhooks.models import EmbedOrigin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _help_centre(live_server):
    """A page of another origin (127.0.0.1 on a port of ours; the site is at localhost) that
    embeds the widget the way staff's page tells a help centre to."""
    page_html = (
        "<!DOCTYPE html><html lang='en'><head><title>Help centre</title></head><body>"
        "<h1>Acme help centre</h1>"
        f"<script src='{live_server.url}/static/js/embed.js' data-height='400' async></script>"
        "</body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *args):
            pass

    server, thread = serve(Handler)
    return server, thread, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def help_centres(live_server):
    started = [_help_centre(live_server), _help_centre(live_server)]
    yield [origin for _server, _thread, origin in started]
    for server, thread, _origin in started:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_help_centre_embeds_the_widget_searches_and_follows_a_result(
    live_server, page, help_centres
):
    allowed, other = help_centres
    QuestionFactory(title="Exporting invoices to CSV", body="Use the export page.")
    QuestionFactory(title="Changing the billing address")
    Question.objects.update(solved_at=timezone.now())
    EmbedOrigin.objects.create(origin=allowed)

    page.goto(allowed)
    expect(page.get_by_role("heading", name="Acme help centre")).to_be_visible()
    widget = page.frame_locator("iframe[title='Community help']")
    expect(widget.get_by_role("heading", name="Answered by the community")).to_be_visible()
    widget.get_by_label("Search the community").fill("exporting")
    widget.get_by_role("button", name="Search").click()
    result = widget.get_by_role("link", name="Exporting invoices to CSV")
    expect(result).to_be_visible()
    expect(widget.get_by_role("link", name="Changing the billing address")).to_have_count(0)
    expect(widget.get_by_role("link", name="Ask the community")).to_be_visible()
    # The widget set nothing: no cookie of the community's site in this browser.
    assert page.context.cookies() == []

    with page.context.expect_page() as opened:
        result.click()
    question_page = opened.value
    expect(question_page).to_have_url(re.compile(re.escape(live_server.url) + "/questions/"))
    expect(question_page.get_by_role("heading", level=1)).to_contain_text(
        "Exporting invoices to CSV"
    )

    # Another origin staff did not allow: the browser refuses to show the widget there.
    page.goto(other)
    expect(page.get_by_role("heading", name="Acme help centre")).to_be_visible()
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    blocked = page.frame_locator("iframe[title='Community help']")
    expect(blocked.get_by_label("Search the community")).to_have_count(0)
    # Chromium replaces a frame its policy refuses with its own error page.
    (frame,) = [f for f in page.frames if f != page.main_frame]
    assert frame.url.startswith("chrome-error://"), frame.url
