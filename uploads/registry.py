"""The registry of posts that can carry uploads.

The app that owns a model registers it once, in its receivers, with ``visible_to(viewer)``:
the queryset of the rows ``viewer`` may read (the site's visibility rule for that model), and
the name of the Markdown field that references uploads. When a registered post is saved, the
uploads its text names (``/uploads/<key>/…``) that belong to its author and to no post yet are
attached to it (uploads.receivers); from then on an upload is readable by whoever may read the
post, its owner and staff (uploads.permissions).
"""

import re
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


# --- draft kinds --------------------------------------------------------------------------
#
# The post forms whose text is kept as a draft (uploads.models.Draft). The app that owns a
# form registers its kind once, in its receivers: a form of its own (``url``: asking, a new
# idea) or one per target (``targets``: the answer box of each question). ``targets(viewer,
# ids)`` returns, in one query, ``{id: (title, url)}`` for the targets ``viewer`` may still
# see, by the site's visibility rule; a draft whose target is gone keeps its text but no link.

# (title, address) of each target the viewer may see.
Targets = Callable[[Any, list[int]], dict[int, tuple[str, str]]]


@dataclass(frozen=True)
class DraftKind:
    name: str
    label: "StrOrPromise"
    url: Callable[[], str] | None
    targets: Targets | None


DRAFT_KINDS: dict[str, DraftKind] = {}
TARGET_RE = re.compile(r"^[1-9][0-9]{0,17}\Z")


def register_draft_kind(
    name: str,
    *,
    label: "StrOrPromise",
    url: Callable[[], str] | None = None,
    targets: Targets | None = None,
) -> None:
    """Register (or replace) a kind of draft: exactly one of ``url`` and ``targets``."""
    if (url is None) == (targets is None):
        raise ValueError("register_draft_kind: give url or targets")
    DRAFT_KINDS[name] = DraftKind(name, label, url, targets)


def draft_key(kind: str, target_id: int | None = None) -> str:
    """The key of the draft of ``kind`` (for ``target_id`` where the kind has targets)."""
    return kind if target_id is None else f"{kind}:{target_id}"


def draft_key_parse(key: str) -> tuple[DraftKind, int | None] | None:
    """The kind and target of a draft key, or ``None`` when it names no registered form."""
    name, _, target = key.partition(":")
    kind = DRAFT_KINDS.get(name)
    if kind is None:
        return None
    if kind.targets is None:
        return (kind, None) if not target else None
    if not TARGET_RE.match(target):
        return None
    return kind, int(target)
