"""The registry of posts that can carry uploads.

The app that owns a model registers it once, in its receivers, with ``visible_to(viewer)``:
the queryset of the rows ``viewer`` may read (the site's visibility rule for that model), and
the name of the Markdown field that references uploads. When a registered post is saved, the
uploads its text names (``/uploads/<key>/…``) that belong to its author and to no post yet are
attached to it (uploads.receivers); from then on an upload is readable by whoever may read the
post, its owner and staff (uploads.permissions).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VisibleTo = Callable[[Any], QuerySet[Any]]


@dataclass(frozen=True)
class PostKind:
    model: type
    label: "StrOrPromise"
    visible_to: VisibleTo
    text_field: str
    author_field: str


POST_KINDS: dict[str, PostKind] = {}


def register_post(
    model: type,
    *,
    label: "StrOrPromise",
    visible_to: VisibleTo,
    text_field: str = "body",
    author_field: str = "author",
) -> None:
    POST_KINDS[model._meta.label_lower] = PostKind(  # type: ignore[attr-defined]
        model, label, visible_to, text_field, author_field
    )


def post_kind_of(model: type) -> PostKind | None:
    return POST_KINDS.get(model._meta.label_lower)  # type: ignore[attr-defined]


def post_kind_for(content_type: ContentType) -> PostKind | None:
    return POST_KINDS.get(f"{content_type.app_label}.{content_type.model}")
