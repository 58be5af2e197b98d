"""The badge catalogue: every badge a member can earn, in the order the badges page lists them
(docs/badges.md).

Members owns the catalogue, the ``MemberBadge`` rows, the awarding service
(``members.services_badges``), the notification and the pages, because every app shows a
member's badges and members is the lowest app. The events that earn a badge happen in the apps
above (an accepted answer in forum, a shipped idea in ideas, a qualified referral in
ambassadors): each of those apps awards its badges from its own services, and registers here,
with ``register_rule``, the query that lists who deserves one, which the back-fill job
(``members.badges_backfill``) runs to award what an event missed (history, a lost task).

The ambassador program's "Ambassador" and "Advocate" are not part of it: they are a state
(``Member.badge``, given and taken away by the program), shown beside every name.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BRONZE, SILVER, GOLD = "bronze", "silver", "gold"
LEVEL_LABELS: dict[str, "StrOrPromise"] = {
    BRONZE: _("Bronze"),
    SILVER: _("Silver"),
    GOLD: _("Gold"),
}

# Accepted answers in one tag that earn its "Tag expert" badge.
TAG_EXPERT_ANSWERS = 10


@dataclass(frozen=True)
class BadgeSpec:
    slug: str
    name: "StrOrPromise"
    description: "StrOrPromise"  # how it is earned, shown on the badges page
    level: str
    per_tag: bool = False  # earned once per tag (the tag is shown with it)
    awarded_by: str = ""  # the app whose events award it

    @property
    def level_label(self) -> "StrOrPromise":
        return LEVEL_LABELS[self.level]


CATALOGUE: dict[str, BadgeSpec] = {
    spec.slug: spec
    for spec in (
        BadgeSpec(
            "helper",
            _("Helper"),
            _("An answer of yours was accepted for the first time."),
            BRONZE,
            awarded_by="forum",
        ),
        BadgeSpec(
            "scholar",
            _("Scholar"),
            _("You accepted an answer to your question for the first time."),
            BRONZE,
            awarded_by="forum",
        ),
        BadgeSpec(
            "tag-expert",
            _("Tag expert"),
            _("Ten of your answers in one tag were accepted."),
            GOLD,
            per_tag=True,
            awarded_by="forum",
        ),
        BadgeSpec(
            "faq-author",
            _("FAQ author"),
            _("An accepted answer of yours became an FAQ entry."),
            SILVER,
            awarded_by="forum",
        ),
        BadgeSpec(
            "visionary",
            _("Visionary"),
            _("An idea of yours was shipped."),
            GOLD,
            awarded_by="ideas",
        ),
        BadgeSpec(
            "recruiter",
            _("Recruiter"),
            _("Someone you invited became an active member."),
            SILVER,
            awarded_by="ambassadors",
        ),
    )
}

LEVEL_ORDER = {GOLD: 0, SILVER: 1, BRONZE: 2}

# Badge slug → a function listing every (member id, tag) that deserves it ("" when the badge
# is not per tag). Registered by the app that awards the badge, from its receivers.
Holders = Callable[[], Iterable[tuple[int, str]]]
RULES: dict[str, Holders] = {}


def register_rule(slug: str, holders: Holders) -> None:
    if slug not in CATALOGUE:
        raise KeyError(f"no badge {slug!r} in the catalogue")
    RULES[slug] = holders


def get_badge(slug: str) -> BadgeSpec | None:
    return CATALOGUE.get(slug)
