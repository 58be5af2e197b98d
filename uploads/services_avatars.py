"""Members' pictures (avatars): checked like any upload (uploads.files: the type from the
content, metadata dropped, size by trust level), cropped to a centred square and kept in two
sizes in the uploads store, under ``avatars/<key>/``. The member row keeps the key
(``Member.avatar``), so every page draws the picture from the columns it already loads.

A new picture gets a new key (its address never changes, so browsers may keep it); the old
files go once the change commits."""

import io
import logging
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from members.models import Member
from members.services import member_avatar_set

from . import files
from .files import Refused
from .permissions import check_can_upload, max_upload_bytes
from .services import storage

logger = logging.getLogger(__name__)

# The sides kept, in pixels: 48 for lists and posts (shown at 24–32 CSS px, sharp on dense
# screens), 128 for the profile and the user card (64 CSS px).
AVATAR_SIDES = (128, 48)


def avatar_path(key: str, side: int) -> str:
    return f"avatars/{key[:2]}/{key}/{side}.webp"


def _squares(data: bytes) -> dict[int, bytes]:
    """The checked image (already re-encoded without metadata, orientation applied) cut to a
    centred square at each side; an animation keeps its first frame."""
    opened = Image.open(io.BytesIO(data))
    opened.seek(0)
    has_alpha = opened.mode in ("RGBA", "LA", "PA") or "transparency" in opened.info
    pixels = opened.convert("RGBA" if has_alpha else "RGB")
    found = {}
    for side in AVATAR_SIDES:
        square = ImageOps.fit(pixels, (side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        square.save(out, "WEBP", quality=85)
        found[side] = out.getvalue()
    return found


def avatar_upload(*, actor: Member, name: str, size: int, chunks: Any) -> str:
    """Make the image ``chunks`` yields ``actor``'s avatar; returns its key. Raises ``Refused``
    (not an image, too large, damaged) or ``PermissionDenied`` (a restricted account)."""
    check_can_upload(actor)
    limit = max_upload_bytes(actor)
    too_large = _("The file is too large: at most %(limit)s for your account.") % {
        "limit": filesizeformat(limit)
    }
    if size > limit:
        raise Refused(too_large)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Refused(too_large)
    checked = files.check(data, name)
    if checked.kind != "image":
        raise Refused(_("A picture must be an image: JPEG, PNG, GIF or WebP."))
    squares = _squares(checked.data)
    key = secrets.token_hex(12)
    store = storage()
    paths = [
        store.save(avatar_path(key, side), ContentFile(body)) for side, body in squares.items()
    ]
    try:
        with transaction.atomic():
            old = member_avatar_set(member=actor, key=key)
            if old:
                transaction.on_commit(lambda: _delete_avatar_files(old))
    except Exception:
        _delete_files(*paths)
        raise
    return key


def avatar_remove(*, actor: Member) -> None:
    """Back to the generated letters; the picture's files go once the change commits."""
    with transaction.atomic():
        old = member_avatar_set(member=actor, key="")
        if old:
            transaction.on_commit(lambda: _delete_avatar_files(old))


def avatar_export(member: Member) -> list[dict[str, Any]]:
    """The member's picture for "export my data" (members.personal_data)."""
    if not member.avatar:
        return []
    return [
        {
            "size": side,
            "file": avatar_path(member.avatar, side),
            "address": avatar_url(member, side),
        }
        for side in AVATAR_SIDES
    ]


def avatar_erase(member: Member, remove_posts: bool) -> None:
    """ "Delete my account": the picture goes, files once the erasure commits (the member's
    row is saved by the erasure itself, with the column cleared)."""
    key = member.avatar
    if not key:
        return
    member.avatar = ""
    Member.objects.filter(pk=member.pk).update(avatar="")
    transaction.on_commit(lambda: _delete_avatar_files(key))


def avatar_url(member: Member, side: int) -> str:
    return reverse("uploads:avatar", kwargs={"key": member.avatar, "px": side})


def _delete_avatar_files(key: str) -> None:
    _delete_files(*(avatar_path(key, side) for side in AVATAR_SIDES))


def _delete_files(*paths: str) -> None:
    store = storage()
    for path in paths:
        try:
            store.delete(path)
        except OSError:
            logger.warning("could not delete the avatar file %s", path, exc_info=True)
