"""Members' pictures: checked like uploads (the type from the content, metadata dropped),
cut to squares, kept in the uploads store and served to anybody; on the file system and S3."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from members import personal_data
from members.models import Member
from members.services_privacy import data_export_archive, member_erase
from tests.factories import MemberFactory, logged_in
from uploads.models import Upload
from uploads.services import storage
from uploads.services_avatars import AVATAR_SIDES, avatar_path

from .conftest import image_bytes
from .helpers import body_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("store", "limits")]

PHP = b"<?php system($_GET['c']); ?>"


def send_picture(client, name: str, data: bytes, content_type: str = "image/png"):
    return client.post(
        reverse("uploads:avatar-edit"), {"picture": SimpleUploadedFile(name, data, content_type)}
    )


def photo_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "Editor 1.0"  # Software
    return image_bytes("JPEG", size=(300, 150), exif=exif.tobytes())


def test_a_picture_is_cut_to_squares_stripped_of_its_metadata_and_served(member_client, member):
    response = send_picture(member_client, "me.jpg", photo_with_exif(), "image/jpeg")
    assert response.status_code == 302
    member.refresh_from_db()
    assert len(member.avatar) == 24
    assert not Upload.objects.exists()  # no upload of a post: the picture has its own place
    for side in AVATAR_SIDES:
        served = Client().get(reverse("uploads:avatar", kwargs={"key": member.avatar, "px": side}))
        assert served.status_code == 200
        assert served["Content-Type"] == "image/webp"
        assert served["X-Content-Type-Options"] == "nosniff"
        body = body_of(served)
        assert b"SecretCam" not in body and b"Editor 1.0" not in body
        image = Image.open(io.BytesIO(body))
        assert image.format == "WEBP" and image.size == (side, side)
        assert not image.getexif()
    page = member_client.get(reverse("uploads:avatar-edit")).content.decode()
    assert f'src="/uploads/avatars/{member.avatar}/128.webp"' in page
    assert "Remove the picture" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("avatar.png", PHP, "not an image"),
        ("avatar.jpg", b"\xff\xd8junk", "not an image"),
        ("avatar.pdf", b"%PDF-1.4 hello", "must be an image"),
        ("avatar.txt", b"just text", "must be an image"),
    ],
)
def test_a_file_that_is_no_image_is_refused_whatever_its_name(
    member_client, member, name, data, message
):
    response = send_picture(member_client, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.avatar == ""


def test_a_picture_over_the_size_limit_is_refused(member_client, member, settings):
    settings.VECHE_UPLOAD_MAX_BYTES = {0: 100, 1: 100, 2: 100, 3: 100}
    response = send_picture(member_client, "big.png", image_bytes(size=(200, 200)))
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_a_new_picture_replaces_the_old_files_and_removing_brings_back_the_letters(
    member_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_picture(member_client, "a.png", image_bytes())
    member.refresh_from_db()
    first = member.avatar
    with django_capture_on_commit_callbacks(execute=True):
        send_picture(member_client, "b.png", image_bytes(color=(0, 0, 200)))
    member.refresh_from_db()
    assert member.avatar != first
    assert not any(storage().exists(avatar_path(first, side)) for side in AVATAR_SIDES)
    assert all(storage().exists(avatar_path(member.avatar, side)) for side in AVATAR_SIDES)
    second = member.avatar
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("uploads:avatar-remove"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar == ""
    assert not any(storage().exists(avatar_path(second, side)) for side in AVATAR_SIDES)
    assert Client().get(f"/uploads/avatars/{second}/48.webp").status_code == 404
    page = member_client.get(reverse("uploads:avatar-edit")).content.decode()
    assert "No picture yet" in page


def test_visitors_log_in_first_and_restricted_members_are_refused(client):
    response = send_picture(client, "a.png", image_bytes())
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(reverse("uploads:avatar-edit")).status_code == 302
    banned = MemberFactory(banned_at=timezone.now())
    response = send_picture(logged_in(banned), "a.png", image_bytes())
    assert response.status_code in (302, 403)  # the ban middleware or the upload rule
    banned.refresh_from_db()
    assert banned.avatar == ""
    silenced = MemberFactory(silenced_until=timezone.now() + timezone.timedelta(days=1))
    assert send_picture(logged_in(silenced), "a.png", image_bytes()).status_code == 403


def test_unknown_pictures_and_sizes_are_404(member_client, member):
    send_picture(member_client, "a.png", image_bytes())
    member.refresh_from_db()
    assert Client().get(f"/uploads/avatars/{member.avatar}/64.webp").status_code == 404
    assert Client().get(f"/uploads/avatars/{'0' * 24}/48.webp").status_code == 404


def test_the_picture_is_in_the_export_and_goes_with_the_account(
    member_client, member, django_capture_on_commit_callbacks
):
    send_picture(member_client, "a.png", image_bytes())
    member.refresh_from_db()
    key = member.avatar
    rows = personal_data.SOURCES["uploads.avatar"].export(member)
    assert {row["address"] for row in rows} == {
        f"/uploads/avatars/{key}/{side}.webp" for side in AVATAR_SIDES
    }
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(actor=member, member=Member.objects.get(pk=member.pk))
    assert Member.objects.get(pk=member.pk).avatar == ""
    assert not any(storage().exists(avatar_path(key, side)) for side in AVATAR_SIDES)


def test_the_data_export_archive_names_the_picture(member_client, member):
    send_picture(member_client, "a.png", image_bytes())
    member.refresh_from_db()
    # the ZIP the export job builds (members.services_privacy; the e-mailed link serves it)
    archive = zipfile.ZipFile(io.BytesIO(data_export_archive(member=member)))
    text = archive.read("json/uploads.avatar.json").decode()
    assert f"/uploads/avatars/{member.avatar}/128.webp" in text
