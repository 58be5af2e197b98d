import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Member


class MemberDirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name"))
    expertise = django_filters.CharFilter(
        field_name="expertise__tag_slug", label=_("Expertise"), distinct=True
    )
    sort = django_filters.OrderingFilter(
        fields=(("date_joined", "joined"), ("last_seen", "active"), ("reputation", "reputation")),
        # Every label given, lazily: django-filter would format the descending ones once, in
        # the language active when this module is imported.
        field_labels={
            "date_joined": _("Joined"),
            "-joined": _("Joined, newest first"),
            "last_seen": _("Last active"),
            "-active": _("Last active, most recent first"),
            "reputation": _("Reputation"),
            "-reputation": _("Reputation, highest first"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(display_name__icontains=value))

    def filter_queryset(self, queryset: QuerySet[Member]) -> QuerySet[Member]:
        qs = super().filter_queryset(queryset)
        # A stable order under every sort: ties broken by id.
        ordering = list(qs.query.order_by) or ["-date_joined"]
        if not any(o.lstrip("-") == "id" for o in ordering):
            ordering.append("-id")
        return qs.order_by(*ordering)
