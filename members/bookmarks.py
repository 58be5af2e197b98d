"""The registry of what members can bookmark.

The app that owns a model registers it once, in its receivers, with ``load(viewer, ids)``:
the title and address of each of ``ids`` that ``viewer`` may see now, in one query (the
site's visibility rule for that model). A bookmark of a post that was hidden, deleted or moved
where the member may not follow shows no title and sends no reminder.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# pk -> (title, address)
Loader = Callable[[Any, list[int]], dict[int, tuple[str, str]]]


@dataclass(frozen=True)
class Bookmarkable:
    model: type
    label: "StrOrPromise"
    load: Loader


BOOKMARKABLE: dict[str, Bookmarkable] = {}


def register_bookmarkable(model: type, *, label: "StrOrPromise", load: Loader) -> None:
    BOOKMARKABLE[model._meta.label_lower] = Bookmarkable(model, label, load)  # type: ignore[attr-defined]


def bookmarkable_for(content_type: ContentType) -> Bookmarkable | None:
    return BOOKMARKABLE.get(f"{content_type.app_label}.{content_type.model}")


def resolve(
    viewer: Any, targets: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], tuple[str, str]]:
    """(content type id, object id) -> (title, address) for the targets ``viewer`` may see:
    one query per kind of target."""
    by_type: dict[int, list[int]] = {}
    for type_id, object_id in targets:
        by_type.setdefault(type_id, []).append(object_id)
    found: dict[tuple[int, int], tuple[str, str]] = {}
    for type_id, ids in by_type.items():
        entry = bookmarkable_for(ContentType.objects.get_for_id(type_id))
        if entry is None:
            continue
        for object_id, shown in entry.load(viewer, ids).items():
            found[(type_id, object_id)] = shown
    return found
