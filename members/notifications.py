"""The registry of notification kinds.

Each app registers its kinds in ``AppConfig.ready``. A kind names the label shown in the
preferences page, the message shown in the notification list (formatted with the
notification's ``params``), the group of the preferences page it is shown in, and whether
e-mail is on by default.

The defaults follow Discourse's: e-mail for what is addressed to the member or decided about
what they asked, proposed, backed or invited (answers, mentions, accepted answers, decisions
on their posts, account, application, referrals, ideas they voted for) is on; e-mail for the
chatter they only watch (comments on questions and ideas they follow) is off, and shows in
the site's notification list. Members who joined before these
defaults keep what they had (members migration 0007).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .badges import CATALOGUE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: "StrOrPromise"  # lazily translated: rendered in the reader's language
    message: "StrOrPromise"
    email_default: bool = True
    group: str = "community"
    # Params stored as codes and shown by their label in the reader's language: for each param,
    # code → lazily translated label (an idea's status). A value that is no code (older rows
    # stored the English label) is translated as a message.
    param_labels: Mapping[str, Mapping[str, "StrOrPromise"]] = field(default_factory=dict)
    # Tells a post's author what happened to their post (held, hidden, rejected): shown
    # whatever the post's state, unlike other notifications (see TARGET_VISIBILITY).
    about_own_post: bool = False


KINDS: dict[str, NotificationKind] = {}

# The groups of the e-mail preferences, in the order the settings page shows them, with their
# legends. Apps name one of these when they register a kind.
EMAIL_GROUPS: dict[str, "StrOrPromise"] = {
    "questions": _("Your questions and answers"),
    "ideas": _("Ideas"),
    "moderation": _("Your posts and your account"),
    "ambassador": _("Invitations and the ambassador program"),
    "community": _("From the community"),
}

# Model → ``visible_to(viewer)`` (a queryset of what the viewer may see): a notification about
# an object that is no longer visible to its recipient (hidden, deleted, moved to a private
# category) leaves their list, since its text quotes the object's title. Registered by the
# app that owns the model, in its receivers.
TARGET_VISIBILITY: dict[type, Callable[[Any], Any]] = {}


def register_target_visibility(model: type, visible_to: Callable[[Any], Any]) -> None:
    TARGET_VISIBILITY[model] = visible_to


def register_kind(
    key: str,
    *,
    label: "StrOrPromise",
    message: "StrOrPromise",
    email_default: bool = True,
    group: str = "community",
    param_labels: Mapping[str, Mapping[str, "StrOrPromise"]] | None = None,
    about_own_post: bool = False,
) -> None:
    KINDS[key] = NotificationKind(
        key,
        label,
        message,
        email_default,
        group,
        param_labels or {},
        about_own_post=about_own_post,
    )


def get_kind(key: str) -> NotificationKind:
    return KINDS.get(key) or NotificationKind(key, key, "%(title)s")


def render_message(kind: str, params: dict) -> str:
    spec = get_kind(kind)
    template = str(spec.message)
    safe = _DefaultDict(params)
    for name, labels in spec.param_labels.items():
        value = str(params.get(name, ""))
        safe[name] = str(labels[value]) if value in labels else gettext(value) if value else ""
    try:
        return template % safe
    except (TypeError, ValueError):
        return str(params.get("title", ""))


class _DefaultDict(dict):
    def __missing__(self, key: str) -> str:
        return ""


register_kind(
    "system",
    label=_("Messages from the community team"),
    message=_("%(title)s"),
)
register_kind(
    "bookmark_reminder",
    label=_("Reminders of your bookmarks"),
    message=_("Reminder: %(title)s"),
)
register_kind(
    "welcome",
    label=_("Welcome and re-engagement letters"),
    message=_("Welcome to the community"),
)
register_kind(
    "badge_awarded",
    label=_("Badges you earn"),
    message=_("New badge: %(badge)s %(tag)s"),
    # A badge is good news, not something to act on: shown on the site, no e-mail by default.
    email_default=False,
    param_labels={"badge": {slug: spec.name for slug, spec in CATALOGUE.items()}},
)
