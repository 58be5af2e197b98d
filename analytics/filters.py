"""The filters of the list of members at risk."""

from datetime import date, timedelta
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.permissions.questions import questions_public
from members.models import Member

from .models import ReengagementLetter

SILENT_DAYS = [60, 90, 180, 365]
# "used to" → the count annotated by analytics.sources.at_risk_list
COUNTS = {"questions": "questions_asked", "answers": "answers_written", "ideas": "ideas_proposed"}
MEMBER_MONTHS = [1, 3, 6, 12]


def _days(n: int) -> str:
    """Called when the form is shown, so in the viewer's language."""
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}


class AtRiskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or e-mail"))
    silent = django_filters.ChoiceFilter(
        method="filter_silent",
        label=_("Silent for at least"),
        choices=lambda: [(str(d), _days(d)) for d in SILENT_DAYS],
        empty_label=_("the at-risk period"),
    )
    did = django_filters.ChoiceFilter(
        method="filter_did",
        label=_("Used to"),
        choices=[
            ("questions", _("ask questions")),
            ("answers", _("answer")),
            ("ideas", _("propose ideas")),
            ("nothing", _("only read")),
        ],
        empty_label=_("anything"),
    )
    tag = django_filters.CharFilter(method="filter_tag", label=_("Asked about the tag"))
    member_for = django_filters.ChoiceFilter(
        method="filter_member_for",
        label=_("Member for at least"),
        choices=lambda: [(str(m), _months(m)) for m in MEMBER_MONTHS],
        empty_label=_("any time"),
    )
    written = django_filters.ChoiceFilter(
        method="filter_written",
        label=_("Written to"),
        choices=[
            ("never", _("never")),
            ("not_recently", _("not in the last 30 days")),
            ("recently", _("in the last 30 days")),
        ],
        empty_label=_("either way"),
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(display_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_silent(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        days = int(value)  # one of the choices
        if days > settings.VECHE_AT_RISK_DAYS:
            return queryset.filter(last_seen__lt=self.today - timedelta(days=days))
        return queryset

    def filter_did(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "nothing":
            return queryset.filter(questions_asked=0, answers_written=0, ideas_proposed=0)
        if value in COUNTS:
            return queryset.filter(**{f"{COUNTS[value]}__gt": 0})
        return queryset

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().lower()
        if not value:
            return queryset
        asked = (
            questions_public()
            .filter(author=OuterRef("pk"))
            .filter(Q(tags__slug=value) | Q(tags__name__iexact=value))
        )
        return queryset.filter(Exists(asked))

    def filter_member_for(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        months = int(value)  # one of the choices
        return queryset.filter(date_joined__date__lt=self.today - timedelta(days=30 * months))

    def filter_written(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        letters = ReengagementLetter.objects.filter(member=OuterRef("pk"))
        recent = letters.filter(sent_on__gt=self.today - timedelta(days=30))
        if value == "never":
            return queryset.filter(~Exists(letters))
        if value == "not_recently":
            return queryset.filter(~Exists(recent))
        if value == "recently":
            return queryset.filter(Exists(recent))
        return queryset
