"""What the server takes and how it serves it, on the file system and on S3 (moto)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import MemberFactory, logged_in
from uploads.models import Upload
from uploads.services import storage

from .conftest import image_bytes
from .helpers import body_of, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("store", "limits")]

PHP = b"<?php system($_GET['c']); ?>"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def test_an_image_is_stored_and_served_inline_with_a_safe_type(member_client, member):
    response = send(member_client, "Screen Shot.png", image_bytes())
    assert response.status_code == 201
    upload = Upload.objects.get()
    assert upload.owner == member and upload.kind == "image" and upload.name == "screen-shot.png"
    assert (
        response.json()["markdown"] == f"![screen-shot.png](/uploads/{upload.key}/screen-shot.png)"
    )
    served = member_client.get(response.json()["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    assert Image.open(io.BytesIO(body_of(served))).size == (40, 30)


@pytest.mark.parametrize(
    ("name", "data"),
    [("shell.png", PHP), ("page.png", HTML), ("drawing.svg", SVG), ("photo.jpg", b"\xff\xd8junk")],
)
def test_a_file_whose_content_is_not_the_image_its_name_claims_is_refused(
    member_client, name, data
):
    response = send(member_client, name, data, content_type="image/png")
    assert response.status_code == 400
    assert "not an image" in response.json()["error"]
    assert not Upload.objects.exists()


def test_the_type_comes_from_the_content_not_the_browser(member_client):
    response = send(member_client, "notes.log", image_bytes(), content_type="text/html")
    assert response.status_code == 201
    upload = Upload.objects.get()
    assert (upload.kind, upload.content_type, upload.name) == ("image", "image/png", "notes.png")


def test_html_and_svg_are_never_served_inline(member_client):
    for name, data in (("page.html", HTML), ("drawing.xml", SVG)):
        response = send(member_client, name, data, content_type="text/html")
        assert response.status_code == 201
        served = member_client.get(response.json()["url"])
        assert served["Content-Type"] == "text/plain; charset=utf-8"
        assert served["Content-Disposition"].startswith("attachment")
        assert served["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served["Content-Security-Policy"]
    assert sorted(Upload.objects.values_list("name", flat=True)) == ["drawing.txt", "page.txt"]


def test_a_polyglot_keeps_only_its_pixels(member_client):
    polyglot = image_bytes("GIF") + b"<script>alert(1)</script>" + PHP
    response = send(member_client, "funny.gif", polyglot, content_type="image/gif")
    assert response.status_code == 201
    served = body_of(member_client.get(response.json()["url"]))
    assert b"<script" not in served and b"<?php" not in served
    assert Image.open(io.BytesIO(served)).format == "GIF"


def test_exif_is_removed(member_client):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Industries"  # Make
    exif[0x0131] = "SecretSoftware 1.0"  # Software
    original = image_bytes("JPEG", exif=exif)
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "SpyCam Industries"
    response = send(member_client, "holiday.jpg", original, content_type="image/jpeg")
    served = body_of(member_client.get(response.json()["url"]))
    assert b"SpyCam" not in served and b"SecretSoftware" not in served
    assert not dict(Image.open(io.BytesIO(served)).getexif())


def test_attachments_download_with_their_own_type(member_client):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    response = send(member_client, "invoice.pdf", pdf, content_type="application/pdf")
    assert response.json()["markdown"].startswith("[invoice.pdf](/uploads/")
    served = member_client.get(response.json()["url"])
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    assert body_of(served) == pdf


def test_a_binary_of_no_allowed_kind_is_refused(member_client):
    response = send(member_client, "tool.exe", b"MZ\x90\x00\x03" + bytes(200))
    assert response.status_code == 400
    assert "cannot be uploaded" in response.json()["error"]


def test_large_images_are_scaled_down_and_get_a_thumbnail(member_client):
    response = send(member_client, "wide.png", image_bytes(size=(1600, 400)))
    upload = Upload.objects.get()
    assert (upload.width, upload.height) == (800, 200)
    url = reverse("uploads:thumbnail", args=[upload.key, upload.name])
    assert response.json()["markdown"] == f"[![wide.png]({url})](/uploads/{upload.key}/wide.png)"
    thumbnail = Image.open(io.BytesIO(body_of(member_client.get(url))))
    assert thumbnail.size == (200, 50)
    assert upload.size == len(storage().open(upload.path).read()) + len(
        storage().open(upload.thumbnail_path).read()
    )


def test_size_limit_by_trust_level():
    data = b"log line\n" * 4000  # 36 000 bytes
    new, basic = MemberFactory(trust_level=0), MemberFactory(trust_level=1)
    refused = send(logged_in(new), "server.log", data, content_type="text/plain")
    assert refused.status_code == 400
    assert "too large" in refused.json()["error"] and "19.5" in refused.json()["error"]
    assert send(logged_in(basic), "server.log", data, content_type="text/plain").status_code == 201
    assert list(Upload.objects.values_list("owner", flat=True)) == [basic.pk]


def test_quota(member_client, limits):
    limits.VECHE_UPLOAD_QUOTA_BYTES = 30_000
    data = b"x" * 20_000
    assert send(member_client, "a.txt", data, content_type="text/plain").status_code == 201
    refused = send(member_client, "b.txt", data, content_type="text/plain")
    assert refused.status_code == 400
    assert "exceed your space" in refused.json()["error"]
    assert Upload.objects.count() == 1


def test_restricted_members_and_visitors_cannot_upload(client, member, store):
    response = client.post(reverse("uploads:create"), {"file": ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    silenced = MemberFactory(silenced_until="2999-01-01T00:00Z")
    response = send(logged_in(silenced), "a.png", image_bytes())
    assert response.status_code == 403
    assert "restricted" in response.json()["error"]
    # A suspended member is logged out at the next request (members' middleware).
    suspended = MemberFactory(suspended_until="2999-01-01T00:00Z")
    assert send(logged_in(suspended), "a.png", image_bytes()).status_code in (302, 403)
    assert not Upload.objects.exists()


def test_the_upload_page_works_without_javascript(member_client):
    assert member_client.get(reverse("uploads:new")).status_code == 200
    response = member_client.post(
        reverse("uploads:create"),
        {"file": SimpleUploadedFile("a.png", image_bytes())},
    )
    upload = Upload.objects.get()
    assert response.status_code == 201
    assert f"![a.png](/uploads/{upload.key}/a.png)" in response.content.decode()
    refused = member_client.post(reverse("uploads:create"), {})
    assert refused.status_code == 400
