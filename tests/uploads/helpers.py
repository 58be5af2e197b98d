from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

JSON = {"HTTP_ACCEPT": "application/json"}


def send(client, name: str, data: bytes, content_type: str = "image/png"):
    """Upload ``data`` as the editor's script does (it asks for JSON)."""
    return client.post(
        reverse("uploads:create"), {"file": SimpleUploadedFile(name, data, content_type)}, **JSON
    )


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)
