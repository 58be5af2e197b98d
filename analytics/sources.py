"""The other apps' data that analytics reads, looked up defensively: analytics must keep
working (showing "not available") when an app's models are not there."""

from django.apps import apps
from django.db.models import QuerySet


def get_model(label: str):
    """``"app_label.ModelName"`` → the model class, or None when it does not exist."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def referred_member_ids() -> QuerySet | None:
    """Ids of members who signed up through a referral, as a subquery (None: no program)."""
    Referral = get_model("ambassadors.Referral")
    if Referral is None:
        return None
    field = "referred" if _has_field(Referral, "referred") else "member"
    return Referral.objects.values(f"{field}_id")


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist
        return False
    return True
