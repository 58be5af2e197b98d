from django.db.models import Count, Max, Prefetch, Q, QuerySet

from .models import Attempt, Delivery, Endpoint


def endpoint_list() -> QuerySet[Endpoint]:
    """Every endpoint with its waiting and given-up deliveries and its last delivery."""
    open_rows = Q(deliveries__sent_at=None, deliveries__failed_at=None)
    return Endpoint.objects.annotate(
        pending_count=Count("deliveries", filter=open_rows),
        failed_count=Count("deliveries", filter=Q(deliveries__failed_at__isnull=False)),
        last_delivery_at=Max("deliveries__created_at"),
    ).order_by("name", "id")


def endpoint_get(pk: int) -> Endpoint:
    return Endpoint.objects.get(pk=pk)


def delivery_list() -> QuerySet[Delivery]:
    return (
        Delivery.objects.select_related("endpoint")
        .defer("body", "endpoint__secret", "endpoint__previous_secret")
        .order_by("-created_at", "-id")
    )


def delivery_get(pk: int) -> Delivery:
    return (
        Delivery.objects.select_related("endpoint")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("-at", "-id")))
        .get(pk=pk)
    )
