"""Checks every post goes through before it is published: may the member post at all
(``check_can_post``), and should the post wait for a moderator (``content_screen``)."""

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.cache import remember, touch
from config.markdown import count_links

from ..content import ModerationState
from ..models import BlockedWord, PostFingerprint
from ..registry import CONTENT
from .rules import rules_reacceptance_needed

BLOCKED_WORDS_KEY = "moderation:blocked-words"
BLOCKED_WORDS_SCOPE = "blocked-words"


# Why a post is held. Stored in English, as written here, and translated for the moderator
# who reads it (``reason_display``): the author's language is not the reader's.
FIRST_POSTS = gettext_noop("First posts of a new member are reviewed.")
TOO_MANY_LINKS = gettext_noop("Too many links (%(count)s; your limit is %(limit)s).")
BLOCKED_WORDS = gettext_noop("Blocked words: %(words)s.")
REPEATED = gettext_noop("The same text was posted again.")
TOO_FAST = gettext_noop("Posting too fast (more than %(limit)s posts in %(minutes)s minutes).")
REASONS = (FIRST_POSTS, TOO_MANY_LINKS, BLOCKED_WORDS, REPEATED, TOO_FAST)
REASONS_JOINED_BY = "; "
_PATTERNS = [
    (
        msgid,
        re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(msgid))),
    )
    for msgid in REASONS
]


def reason_display(stored: str) -> str:
    """The stored reasons of a held post (English, joined by "; ") in the reader's language;
    a reason in no known form (older rows) is shown as stored."""
    for msgid, pattern in _PATTERNS:
        stored = pattern.sub(functools.partial(_translated, msgid), stored)
    return stored


def _translated(msgid: str, match: re.Match[str]) -> str:
    return _(msgid) % match.groupdict()


@dataclass
class Screening:
    hold: bool = False
    reasons: list[str] = field(default_factory=list)  # in English: see ``reason_display``


def check_can_post(member) -> None:
    """Raise ``PermissionDenied`` with the reason when ``member`` may not post now."""
    if not getattr(member, "is_authenticated", False):
        raise PermissionDenied(_("Please log in to post."))
    if member.is_banned:
        raise PermissionDenied(_("Your account is banned."))
    if member.is_suspended:
        raise PermissionDenied(_("Your account is suspended."))
    if member.is_silenced:
        raise PermissionDenied(
            _("You are silenced and cannot post until %(until)s.")
            % {"until": timezone.localtime(member.silenced_until).strftime("%Y-%m-%d %H:%M %Z")}
        )
    if rules_reacceptance_needed(member):
        raise PermissionDenied(
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "The community rules have changed. Please read and accept them before "
                    "posting again:"
                ),
                reverse("moderation:rules-accept"),
                _("accept the rules"),
            )
        )


def posting_refusal(member) -> str | None:
    """Why a signed-in ``member`` may not post now (``check_can_post``'s reason), shown where
    the post forms would be; ``None`` when they may."""
    if not getattr(member, "is_authenticated", False):
        return None
    try:
        check_can_post(member)
    except PermissionDenied as exc:
        return refusal_reason(exc)
    return None


def refusal_reason(exc: PermissionDenied) -> str:
    """What a refused post's form says: the reason the check gave."""
    return exc.args[0] if exc.args else _("You cannot post now.")


def posts_held_for_review(member) -> int:
    """How many of a new member's next posts wait for a moderator (0: none), said on the
    forms before they post."""
    if member.is_moderator or member.trust_level != member.TrustLevel.NEW:
        return 0
    published = member_published_post_count(member)
    return max(0, settings.VECHE_TRUST_NEW_HELD_POSTS - published)


def text_digest(text: str) -> str:
    normalized = re.sub(r"\s+", " ", (text or "").strip().lower())
    return hashlib.sha256(normalized.encode()).hexdigest()


def blocked_words() -> list[str]:
    """The blocked words, cached under a version that every change replaces now and again
    when it commits: a post is never screened against an old list (``config.cache.remember``)."""
    return remember(BLOCKED_WORDS_KEY, (BLOCKED_WORDS_SCOPE,), _blocked_words_read, 300)


def _blocked_words_read() -> list[str]:
    return list(BlockedWord.objects.values_list("word", flat=True))


def blocked_words_cache_clear() -> None:
    """The list changed (call it in the transaction of the change)."""
    touch(BLOCKED_WORDS_SCOPE)


def blocked_words_found(text: str) -> list[str]:
    words = blocked_words()
    if not words or not text:
        return []
    lowered = text.lower()
    return [w for w in words if re.search(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", lowered)]


def member_published_post_count(member) -> int:
    """Published posts by ``member`` over every registered content model (one COUNT each)."""
    total = 0
    for entry in CONTENT.values():
        if (
            entry.author_field is None
            or not entry.counts_as_post
            or not hasattr(entry.model, "moderation_state")
        ):
            continue
        total += entry.model._base_manager.filter(
            **{entry.author_field: member, "moderation_state": ModerationState.PUBLISHED}
        ).count()
    return total


def content_screen(*, author, text: str, kind: str, record: bool = True) -> Screening:
    """Spam and new-member checks before publishing. ``hold`` means the post must be saved
    with ``ModerationState.HELD`` and passed to ``content_held``. The text is remembered
    (``record``) for the repeated-text and posting-speed checks of later posts."""
    screening = Screening()
    if author.is_moderator:
        return screening
    level = author.trust_level
    now = timezone.now()

    if level == author.TrustLevel.NEW:
        if member_published_post_count(author) < settings.VECHE_TRUST_NEW_HELD_POSTS:
            screening.reasons.append(FIRST_POSTS)

    links = count_links(text)
    limit = settings.VECHE_TRUST_LINK_LIMITS.get(level, 0)
    if links > limit:
        screening.reasons.append(TOO_MANY_LINKS % {"count": links, "limit": limit})

    found = blocked_words_found(text)
    if found:
        screening.reasons.append(BLOCKED_WORDS % {"words": ", ".join(found)})

    digest = text_digest(text)
    recent = PostFingerprint.objects.filter(member=author)
    repeat_since = now - timedelta(hours=settings.VECHE_SPAM_REPEAT_WINDOW_HOURS)
    if recent.filter(digest=digest, created_at__gte=repeat_since).exists():
        screening.reasons.append(REPEATED)

    rate_since = now - timedelta(minutes=settings.VECHE_RATE_WINDOW_MINUTES)
    rate_limit = settings.VECHE_TRUST_RATE_LIMITS.get(level, 3)
    if recent.filter(created_at__gte=rate_since).count() >= rate_limit:
        screening.reasons.append(
            TOO_FAST % {"limit": rate_limit, "minutes": settings.VECHE_RATE_WINDOW_MINUTES}
        )

    if record:
        PostFingerprint.objects.create(member=author, digest=digest, kind=kind, created_at=now)
    screening.hold = bool(screening.reasons)
    return screening


def fingerprints_prune(*, now=None) -> int:
    now = now or timezone.now()
    keep = max(
        timedelta(hours=settings.VECHE_SPAM_REPEAT_WINDOW_HOURS),
        timedelta(minutes=settings.VECHE_RATE_WINDOW_MINUTES),
    )
    deleted, _ = PostFingerprint.objects.filter(created_at__lt=now - keep).delete()
    return deleted
