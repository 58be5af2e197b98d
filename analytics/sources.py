"""The other apps' data that analytics reads and more than one of its modules needs."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from ambassadors.models import Referral
from forum.models import Question
from forum.permissions.questions import answers_visible_to, questions_public
from ideas.permissions import ideas_visible_to
from members.models import Member

from .models import ReengagementLetter


def referred_member_ids() -> QuerySet:
    """Ids of members who signed up through a referral, as a subquery."""
    return Referral.objects.values("referred_id")


# --- members at risk ----------------------------------------------------------------------


def at_risk_cutoff(today: date) -> date:
    """Members last seen before this day are at risk."""
    return today - timedelta(days=settings.VECHE_AT_RISK_DAYS)


def members_at_risk(today: date) -> QuerySet[Member]:
    """Previously active members (they have a last-seen day) silent for the at-risk period."""
    return Member.objects.filter(
        is_active=True,
        is_staff=False,
        banned_at__isnull=True,
        last_seen__isnull=False,
        last_seen__lt=at_risk_cutoff(today),
    )


TAGS_SHOWN = 5


def _public_questions() -> QuerySet[Question]:
    """What anyone may read: a letter or an export names only those questions."""
    return questions_public()


def _count_by_author(qs: QuerySet) -> Coalesce:
    per_member = (
        qs.filter(author=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_member, output_field=IntegerField()), Value(0))


def at_risk_list(today: date) -> QuerySet[Member]:
    """Members at risk now, with what they used to do and the last letter written to them,
    those who went quiet most recently first (the ones still easiest to bring back)."""
    anyone = AnonymousUser()
    last_letter = ReengagementLetter.objects.filter(member=OuterRef("pk")).order_by(
        "-sent_on", "-sent_at", "-id"
    )
    return (
        members_at_risk(today)
        .annotate(
            questions_asked=_count_by_author(_public_questions()),
            answers_written=_count_by_author(answers_visible_to(anyone)),
            ideas_proposed=_count_by_author(ideas_visible_to(anyone)),
            last_question=Subquery(
                _public_questions()
                .filter(author=OuterRef("pk"))
                .order_by("-created_at", "-id")
                .values("title")[:1]
            ),
            last_letter_on=Subquery(last_letter.values("sent_on")[:1]),
            last_letter_by=Subquery(
                last_letter.annotate(
                    by=Coalesce(NullIf("sender__display_name", Value("")), "sender__username")
                ).values("by")[:1]
            ),
        )
        .only(
            "id",
            "username",
            "display_name",
            "deleted_at",  # ``name`` reads it
            "email",
            "date_joined",
            "last_seen",
            # what writing to them reads (``wants_email``, their language)
            "is_active",
            "banned_at",
            "email_preferences",
            "preferred_language",
        )
        .order_by("-last_seen", "id")
    )


def at_risk_tags(member_ids: Iterable[int]) -> dict[int, list[str]]:
    """The tags each member asked about most (up to five each): one query for a page."""
    rows = (
        _public_questions()
        .filter(author_id__in=list(member_ids), tags__isnull=False)
        .values_list("author_id", "tags__name")
        .annotate(n=Count("id"))
        .order_by("author_id", "-n", "tags__name")
    )
    tags: dict[int, list[str]] = defaultdict(list)
    for member_id, name, _n in rows:
        if len(tags[member_id]) < TAGS_SHOWN:
            tags[member_id].append(name)
    return dict(tags)


def at_risk_with_tags(members: Iterable[Member]) -> list[Member]:
    """The members with ``tags`` set (a list of names)."""
    shown = list(members)
    tags = at_risk_tags(m.pk for m in shown)
    for member in shown:
        member.tags = tags.get(member.pk, [])
    return shown


def letter_values(member: Member, *, manager: str, community: str) -> dict[str, str]:
    """What the placeholders of an outreach letter become for ``member`` (shaped by
    ``at_risk_with_tags``)."""
    tags = getattr(member, "tags", [])
    return {
        "name": member.name,
        "last_question": getattr(member, "last_question", None) or "",
        "tags": ", ".join(tags) if tags else _("the topics you know"),
        "manager": manager,
        "community": community,
    }
