"""The filters of the idea list: status, category and the sort order."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forum.models import Category

from .models import Idea, IdeaStatus
from .permissions import Viewer
from .selectors import idea_order

SORT_CHOICES = [("top", _("Top")), ("trending", _("Trending")), ("newest", _("Newest"))]


class IdeaFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=IdeaStatus.choices, label=_("Status"), empty_label=_("Any status")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.filter(ambassadors_only=False),
        to_field_name="slug",
        label=_("Category"),
        empty_label=_("All categories"),
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Idea
        fields: list[str] = []

    def __init__(self, *args: Any, viewer: Viewer = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if (
            viewer is not None
            and viewer.is_authenticated
            and (viewer.is_staff or viewer.badge == "ambassador")
        ):
            self.filters["category"].queryset = Category.objects.all()

    def filter_sort(self, queryset: QuerySet[Idea], name: str, value: str) -> QuerySet[Idea]:
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset: QuerySet[Idea]) -> QuerySet[Idea]:
        qs = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or "top"
        return idea_order(qs, sort)

    @property
    def current_sort(self) -> str:
        if self.form.is_valid():
            return self.form.cleaned_data.get("sort") or "top"
        return "top"
