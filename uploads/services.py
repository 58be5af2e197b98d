"""Every write of uploads: storing a checked file, attaching it to a post, removing orphans."""

import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member

from . import files
from .files import Refused
from .models import Draft, Upload
from .permissions import check_can_upload, max_upload_bytes
from .selectors import upload_bytes_used

logger = logging.getLogger(__name__)

# An upload named in a post's Markdown: /uploads/<key>/… (absolute addresses included).
KEY_RE = re.compile(r"/uploads/([0-9a-f]{24})/")
ORPHANS_PER_RUN = 500

__all__ = [
    "Refused",
    "upload_attach_from_text",
    "upload_create",
    "upload_orphans_delete",
    "uploads_erase",
    "uploads_export",
]


def storage() -> Storage:
    """Where uploads are kept: ``STORAGES["uploads"]`` (the file system or an S3 bucket)."""
    return storages["uploads"]


def upload_url(upload: Upload, *, thumbnail: bool = False) -> str:
    if thumbnail:
        return reverse("uploads:thumbnail", args=[upload.key, upload.name])
    return reverse("uploads:file", args=[upload.key, upload.name])


def upload_markdown(upload: Upload) -> str:
    """What the editor inserts: the image (its thumbnail, linking to the whole image, where
    it has one) or a link to the attachment."""
    if not upload.is_image:
        return f"[{upload.name}]({upload_url(upload)})"
    if upload.thumbnail_path:
        return f"[![{upload.name}]({upload_url(upload, thumbnail=True)})]({upload_url(upload)})"
    return f"![{upload.name}]({upload_url(upload)})"


def upload_create(*, actor: Member, name: str, size: int, chunks: Any) -> Upload:
    """Check the file (``chunks`` yields its bytes) and store it; raises ``Refused`` or
    ``PermissionDenied``, storing nothing."""
    check_can_upload(actor)
    limit = max_upload_bytes(actor)
    if size > limit:
        raise Refused(
            _("The file is too large: at most %(limit)s for your account.")
            % {"limit": filesizeformat(limit)}
        )
    data = b"".join(chunks)
    if len(data) > limit:
        raise Refused(
            _("The file is too large: at most %(limit)s for your account.")
            % {"limit": filesizeformat(limit)}
        )
    checked = files.check(data, name)
    stored_size = len(checked.data) + len(checked.thumbnail or b"")
    key = secrets.token_hex(12)
    folder = f"{key[:2]}/{key}"
    with transaction.atomic():
        # One upload of a member at a time: the quota cannot be overrun by parallel requests.
        Member.objects.select_for_update().filter(pk=actor.pk).first()
        used = upload_bytes_used(actor.pk)
        quota = settings.VECHE_UPLOAD_QUOTA_BYTES
        if used + stored_size > quota:
            raise Refused(
                _(
                    "Your uploads would exceed your space: %(used)s of %(quota)s used. "
                    "Remove files from unsent posts or ask staff."
                )
                % {"used": filesizeformat(used), "quota": filesizeformat(quota)}
            )
        store = storage()
        path = store.save(f"{folder}/{checked.name}", ContentFile(checked.data))
        thumbnail_path = ""
        if checked.thumbnail is not None:
            thumbnail_path = store.save(
                f"{folder}/thumb-{checked.name}", ContentFile(checked.thumbnail)
            )
        try:
            return Upload.objects.create(
                key=key,
                owner=actor,
                kind=checked.kind,
                name=checked.name,
                content_type=checked.content_type,
                size=stored_size,
                path=path,
                thumbnail_path=thumbnail_path,
                width=checked.width,
                height=checked.height,
            )
        except Exception:
            _delete_files(path, thumbnail_path)
            raise


def upload_attach_from_text(*, post: Any, text: str, author_id: int | None) -> int:
    """Attach to ``post`` the uploads its text names that belong to its author and to no
    post yet; returns how many. Another member's upload, or one already in a post, stays
    where it is."""
    keys = set(KEY_RE.findall(text or ""))
    if not keys or author_id is None:
        return 0
    return Upload.objects.filter(key__in=keys, owner_id=author_id, post_type__isnull=True).update(
        post_type=ContentType.objects.get_for_model(type(post)),
        post_id=post.pk,
        attached_at=timezone.now(),
    )


def upload_orphans_delete(*, now: datetime | None = None) -> int:
    """Delete the uploads attached to no post within VECHE_UPLOAD_ORPHAN_HOURS and named in
    no draft of their owner, files first; safe to run twice (a file already gone is skipped)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.VECHE_UPLOAD_ORPHAN_HOURS)
    orphans = list(
        Upload.objects.filter(post_type__isnull=True, created_at__lt=cutoff).order_by("pk")[
            :ORPHANS_PER_RUN
        ]
    )
    # An upload its owner's draft names waits for the post (drafts go after
    # VECHE_DRAFT_KEEP_DAYS, and the upload with them).
    drafted: set[tuple[int, str]] = set()
    bodies = Draft.objects.filter(member_id__in={u.owner_id for u in orphans}).values_list(
        "member_id", "body"
    )
    for member_id, body in bodies:
        drafted.update((member_id, key) for key in KEY_RE.findall(body))
    orphans = [u for u in orphans if (u.owner_id, u.key) not in drafted]
    for upload in orphans:
        _delete_files(upload.path, upload.thumbnail_path)
    Upload.objects.filter(pk__in=[u.pk for u in orphans], post_type__isnull=True).delete()
    return len(orphans)


def uploads_export(member: Member) -> list[dict[str, Any]]:
    """A member's uploads for "export my data" (members.personal_data)."""
    found = []
    for upload in Upload.objects.filter(owner=member).order_by("pk"):
        found.append(
            {
                "name": upload.name,
                "kind": upload.kind,
                "content_type": upload.content_type,
                "size": upload.size,
                "address": upload_url(upload),
                "in_a_post": upload.post_id is not None,
                "created_at": upload.created_at.isoformat(),
            }
        )
    return found


def uploads_erase(member: Member, remove_posts: bool) -> None:
    """ "Delete my account": the uploads in no post go; with the posts, all of them. The
    files are deleted once the caller's transaction commits."""
    uploads = Upload.objects.filter(owner=member)
    if not remove_posts:
        uploads = uploads.filter(post_type__isnull=True)
    paths = [p for pair in uploads.values_list("path", "thumbnail_path") for p in pair if p]
    uploads.delete()
    transaction.on_commit(lambda: _delete_files(*paths))


def _delete_files(*paths: str) -> None:
    store = storage()
    for path in paths:
        if not path:
            continue
        try:
            store.delete(path)
        except OSError:
            logger.warning("could not delete the upload file %s", path, exc_info=True)
