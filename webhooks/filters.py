"""The filters of the staff's delivery log."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Endpoint, Event

STATUS_CHOICES = [
    ("pending", _("Waiting")),
    ("sent", _("Delivered")),
    ("failed", _("Gave up")),
]


class DeliveryFilter(django_filters.FilterSet):
    endpoint = django_filters.ModelChoiceFilter(
        queryset=Endpoint.objects.order_by("name"), label=_("Endpoint"), empty_label=_("All")
    )
    event = django_filters.ChoiceFilter(
        choices=Event.choices, label=_("Event"), empty_label=_("All events")
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status"), empty_label=_("Any")
    )

    class Meta:
        model = Delivery
        fields: list[str] = []

    def filter_status(
        self, queryset: QuerySet[Delivery], name: str, value: Any
    ) -> QuerySet[Delivery]:
        if value == "sent":
            return queryset.filter(sent_at__isnull=False)
        if value == "failed":
            return queryset.filter(failed_at__isnull=False)
        return queryset.filter(sent_at=None, failed_at=None)
