"""What a file is, decided from its bytes: never from its name or the browser's content type.

Images (JPEG, PNG, GIF, WebP) are opened with Pillow and encoded again: the metadata (EXIF,
XMP, ICC, comments) and anything appended to the pixels (a polyglot's script) are left
behind, the orientation is applied, a large image is scaled down and gets a thumbnail.
Attachments are PDF, ZIP or UTF-8 text; they are always downloaded, never shown inline.
Everything else is refused with a message that says what is allowed.
"""

import io
import os
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg"}
TEXT_EXTENSIONS = {".txt", ".log", ".csv", ".json", ".md", ".yaml", ".yml", ".ini", ".conf"}
TEXT_TYPE = "text/plain; charset=utf-8"
# What the pixels may be at most (a decompression bomb is refused before it is decoded).
MAX_PIXELS = 40_000_000
# Image info kept on re-encoding: what the pixels need, nothing about the camera or the file.
KEPT_INFO = {"transparency", "duration", "loop", "background"}


class Refused(Exception):
    """The file is not one the site takes; the message says why (translated)."""


@dataclass(frozen=True)
class Checked:
    kind: str  # "image" or "attachment" (uploads.models.Upload.Kind)
    content_type: str
    name: str
    data: bytes
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None


def clean_name(name: str, extension: str) -> str:
    """A safe file name with the checked type's extension: ASCII letters, digits and dashes."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    stem = unicodedata.normalize("NFKD", stem)
    stem = slugify(stem)[:60].strip("-") or "file"
    return f"{stem}{extension}"


def check(data: bytes, name: str) -> Checked:
    """The file as the site stores it; raises ``Refused``."""
    if not data:
        raise Refused(_("The file is empty."))
    extension = os.path.splitext(name.lower())[1]
    image = _open_image(data)
    if image is not None:
        return _checked_image(image, name)
    if extension in IMAGE_EXTENSIONS:
        raise Refused(_("This file is not an image that the site can show (JPEG, PNG, GIF, WebP)."))
    if data.startswith(b"%PDF-"):
        return Checked("attachment", "application/pdf", clean_name(name, ".pdf"), data)
    if data.startswith(b"PK\x03\x04"):
        return Checked("attachment", "application/zip", clean_name(name, ".zip"), data)
    if _is_text(data):
        keep = extension if extension in TEXT_EXTENSIONS else ".txt"
        return Checked("attachment", TEXT_TYPE, clean_name(name, keep), data)
    raise Refused(
        _(
            "This kind of file cannot be uploaded: images (JPEG, PNG, GIF, WebP), PDF, ZIP "
            "and text files can."
        )
    )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _open_image(data: bytes) -> Image.Image | None:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    if image.format not in IMAGE_FORMATS:
        return None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Refused(_("The image is too large: at most 40 megapixels."))
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise Refused(_("The image is damaged and cannot be read.")) from exc
    return image


def _checked_image(image: Image.Image, name: str) -> Checked:
    fmt = str(image.format)
    content_type, extension = IMAGE_FORMATS[fmt]
    animated = getattr(image, "n_frames", 1) > 1
    if not animated:
        image = ImageOps.exif_transpose(image) or image
        limit = settings.VECHE_UPLOAD_IMAGE_MAX_SIDE
        if max(image.size) > limit:
            image = image.copy()
            image.thumbnail((limit, limit))
    data = _encode(image, fmt, animated=animated)
    thumbnail = None
    side = settings.VECHE_UPLOAD_THUMBNAIL_SIDE
    if max(image.size) > side:
        image.seek(0)
        small = image.copy()
        small.thumbnail((side, side))
        thumbnail = _encode(small, fmt, animated=False)
    width, height = image.size
    return Checked(
        "image", content_type, clean_name(name, extension), data, thumbnail, width, height
    )


def _encode(image: Image.Image, fmt: str, *, animated: bool) -> bytes:
    image.info = {k: v for k, v in image.info.items() if k in KEPT_INFO}
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True, exif=b"")
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True, exif=b"")
    elif fmt == "GIF":
        image.save(out, "GIF", save_all=animated)
    else:
        image.save(out, "WEBP", quality=88, save_all=animated, exif=b"")
    return out.getvalue()
