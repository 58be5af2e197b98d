"""How uploads plug in: a save of a registered post attaches the uploads its text names
(uploads.registry). ``UploadsConfig.ready`` calls ``connect`` once."""

from typing import Any

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from config.cache import READ_AHEAD, model_scopes, nothing
from config.markdown import set_image_rewriter
from members import personal_data

from .models import Draft, Upload
from .proxy import signed_image_url
from .registry import post_kind_of
from .selectors import draft_keys_entry, draft_scope
from .services import upload_attach_from_text, uploads_erase, uploads_export
from .services_avatars import avatar_erase, avatar_export
from .services_drafts import drafts_erase, drafts_export


def post_saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    kind = post_kind_of(sender)
    if kind is None or raw:
        return
    upload_attach_from_text(
        post=instance,
        text=getattr(instance, kind.text_field, ""),
        author_id=getattr(instance, f"{kind.author_field}_id", None),
    )


def connect() -> None:
    # An upload shows on no cached page by itself: its post's page links to it.
    model_scopes(Upload, nothing)
    # A draft shows on no shared page; creating or deleting one changes the member's set of
    # drafts (uploads.selectors.draft_keys_of).
    model_scopes(Draft, lambda draft, fields: (draft_scope(draft.member_id),))
    READ_AHEAD["uploads"] = lambda member_id: (draft_keys_entry(member_id),)
    post_save.connect(post_saved, dispatch_uid="uploads.post_saved")
    # Images from other hosts in rendered Markdown go through the image proxy.
    set_image_rewriter(signed_image_url)
    personal_data.register(
        "uploads.files", _("Uploaded files"), export=uploads_export, erase=uploads_erase
    )
    personal_data.register("uploads.drafts", _("Drafts"), export=drafts_export, erase=drafts_erase)
    personal_data.register(
        "uploads.avatar", _("Your picture"), export=avatar_export, erase=avatar_erase
    )
