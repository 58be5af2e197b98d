"""Who may upload, how much, and who may read an upload."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Upload
from .registry import post_kind_for


def _authenticated(viewer: Any) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def check_can_upload(member: Any) -> None:
    if not _authenticated(member):
        raise PermissionDenied(_("Please log in to upload files."))
    if member.is_banned or member.is_suspended or member.is_silenced:
        raise PermissionDenied(_("You cannot upload files while your account is restricted."))


def max_upload_bytes(member: Any) -> int:
    """The largest file a member may send, by trust level (VECHE_UPLOAD_MAX_BYTES)."""
    limits: dict[int, int] = settings.VECHE_UPLOAD_MAX_BYTES
    if member.is_staff:
        return max(limits.values())
    return limits.get(member.trust_level, min(limits.values()))


def can_read_upload(viewer: Any, upload: Upload) -> bool:
    """Its owner and staff always; anybody else only through its post, by the post's own
    visibility rule (an upload in no post yet is its owner's alone)."""
    if _authenticated(viewer) and (viewer.pk == upload.owner_id or viewer.is_staff):
        return True
    if upload.post_type_id is None or upload.post_id is None:
        return False
    kind = post_kind_for(ContentType.objects.get_for_id(upload.post_type_id))
    if kind is None:
        return False
    return bool(kind.visible_to(viewer).filter(pk=upload.post_id).exists())
