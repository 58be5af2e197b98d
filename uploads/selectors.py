"""Reading uploads."""

from django.db.models import Sum

from .models import Upload


def upload_get(key: str) -> Upload | None:
    return Upload.objects.filter(key=key).first()


def upload_bytes_used(member_id: int) -> int:
    return int(Upload.objects.filter(owner_id=member_id).aggregate(total=Sum("size"))["total"] or 0)
