"""Uploads are tested on both stores: the file system and the S3 protocol, spoken by moto's
server mode on a local port (the first free one of 8130-8134)."""

import io
import socket
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image

from tests.factories import MemberFactory

S3_KEYS = {"access_key": "testing", "secret_key": "testing"}
MOTO_PORTS = range(8130, 8135)


def _free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"No free port in {ports.start}-{ports.stop - 1}")


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 on the first free port of 8130-8134 (parallel workers take the next)."""
    port = _free_port(MOTO_PORTS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["filesystem", "s3"])
def store(request, settings, tmp_path):
    """Which store holds the uploads of the test: both, in turn."""
    if request.param == "filesystem":
        uploads = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        }
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        bucket = f"veche-{uuid.uuid4().hex[:12]}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=bucket)
        uploads = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "location": "uploads",
                "default_acl": "private",
                "file_overwrite": False,
                **S3_KEYS,
            },
        }
    settings.STORAGES = {**settings.STORAGES, "uploads": uploads}
    return request.param


@pytest.fixture
def limits(settings):
    settings.VECHE_UPLOAD_MAX_BYTES = {0: 20_000, 1: 50_000, 2: 400_000, 3: 400_000}
    settings.VECHE_UPLOAD_QUOTA_BYTES = 2_000_000
    settings.VECHE_UPLOAD_IMAGE_MAX_SIDE = 800
    settings.VECHE_UPLOAD_THUMBNAIL_SIDE = 200
    return settings


@pytest.fixture
def ambassador(db):
    return MemberFactory(badge="ambassador")


def image_bytes(fmt="PNG", size=(40, 30), exif=None, color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()
