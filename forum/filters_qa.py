"""The question list's sorting and filters (django-filter)."""

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .conf import staff_reply_hours
from .models import Category, Question
from .selectors.questions import question_list_needing_staff


class QuestionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Show"),
        method="filter_status",
        empty_label=_("All questions"),
        choices=[
            ("unanswered", _("Unanswered")),
            ("unsolved", _("Unsolved")),
            ("solved", pgettext_lazy("questions shown", "Solved")),
            ("needs-staff", _("Needs a staff reply")),
        ],
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="category",
        to_field_name="slug",
        queryset=Category.objects.none(),
        empty_label=_("All categories"),
    )
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags__slug")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_sort",
        empty_label=None,
        choices=[
            ("newest", _("Newest")),
            ("active", _("Recently active")),
            ("votes", _("Most votes")),
        ],
    )

    class Meta:
        model = Question
        fields: list[str] = []

    def __init__(
        self,
        data: QueryDict | None = None,
        *args: object,
        categories: QuerySet[Category] | None = None,
        **kwargs: object,
    ) -> None:
        data = data.copy() if data is not None else None
        if data is not None and not data.get("sort"):
            data["sort"] = "newest"
        super().__init__(data, *args, **kwargs)
        if categories is not None:
            self.filters["category"].queryset = categories

    def filter_status(
        self, queryset: QuerySet[Question], name: str, value: str
    ) -> QuerySet[Question]:
        if value == "unanswered":
            return queryset.filter(answer_count=0)
        if value == "unsolved":
            return queryset.filter(accepted_answer__isnull=True)
        if value == "solved":
            return queryset.filter(accepted_answer__isnull=False)
        if value == "needs-staff":
            return question_list_needing_staff(queryset, hours=staff_reply_hours())
        return queryset

    def filter_sort(
        self, queryset: QuerySet[Question], name: str, value: str
    ) -> QuerySet[Question]:
        order = {
            "newest": ["-created_at", "-id"],
            "active": ["-last_activity_at", "-id"],
            "votes": ["-score", "-id"],
        }.get(value, ["-created_at", "-id"])
        return queryset.order_by(*order)
