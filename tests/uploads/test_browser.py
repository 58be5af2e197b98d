"""A member pastes a screenshot into a question, sees it in the preview, posts, and another
member sees it; an attachment goes in through the upload button."""

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import log_in, log_out
from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory
from uploads.models import Upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png_base64() -> str:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 120, 200)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


PASTE = """([data, name]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const file = new File([bytes], name, {type: "image/png"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const box = document.getElementById("id_body");
  box.focus();
  const init = {clipboardData: transfer, bubbles: true, cancelable: true};
  box.dispatchEvent(new ClipboardEvent("paste", init));
}"""


def test_paste_a_screenshot_preview_post_and_another_member_sees_it(
    live_server, page, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    CategoryFactory(name="Billing", slug="billing")
    asker = MemberFactory(username="asker", display_name="Anna Asker")
    reader = MemberFactory(username="reader", display_name="Rita Reader")

    log_in(page, live_server, asker)
    page.goto(live_server.url + "/questions/ask/")
    page.get_by_label("Title").fill("Why does the invoice page look broken?")
    page.get_by_label("Details").fill("The page looks like this after I log in:")
    page.evaluate(PASTE, [_png_base64(), "image.png"])
    expect(page.get_by_role("status")).to_have_text("Uploaded.")
    expect(page.get_by_label("Details")).to_have_value(
        re.compile(r"!\[image\.png\]\(/uploads/[0-9a-f]{24}/image\.png\)")
    )
    # the live preview shows the screenshot, loaded from the site
    preview = page.locator("#id_body-preview img")  # the preview area has no role of its own
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.naturalWidth") == 120
    page.get_by_label("Category").select_option("billing")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("invoice page look broken")
    question_url = page.url
    assert Upload.objects.get().post_id is not None
    log_out(page)

    log_in(page, live_server, reader)
    page.goto(question_url)
    shown = page.get_by_role("img", name="image.png")
    expect(shown).to_be_visible()
    assert shown.evaluate("img => img.naturalWidth") == 120


def test_the_upload_button_inserts_a_link_to_an_attachment(live_server, page, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    CategoryFactory(name="Billing", slug="billing")
    log_in(page, live_server, MemberFactory(username="asker"))
    page.goto(live_server.url + "/questions/ask/")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("link", name="Upload a file").click()
    chooser.value.set_files(
        files=[{"name": "server.log", "mimeType": "text/plain", "buffer": b"error 42\n"}]
    )
    expect(page.get_by_label("Details")).to_have_value(
        re.compile(r"\[server\.log\]\(/uploads/[0-9a-f]{24}/server\.log\)")
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#id_body-preview a")).to_have_text("server.log")  # no role: a region
