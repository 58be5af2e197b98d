from typing import Any

from django import template

from members.models import Member

from ..cookies import attribution_read

register = template.Library()


@register.inclusion_tag("ambassadors/_invited_by.html", takes_context=True)
def referral_invited_by(context: Any) -> dict:
    """ "Invited by <name>" on the sign-up page when a valid referral cookie is present (one
    query, only on that page)."""
    request = context.get("request")
    attribution = attribution_read(request) if request is not None else None
    if attribution is None or not attribution.within_window():
        return {"referrer": None}
    referrer = Member.objects.filter(
        pk=attribution.referrer_id, is_active=True, banned_at__isnull=True
    ).first()
    return {"referrer": referrer}
