from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from members.models import Member

from ..cookies import attribution_read

register = template.Library()


@register.simple_tag(takes_context=True)
def referral_invited_by(context: Any) -> str:
    """ "Invited by <name>" on the sign-up page when a valid referral cookie is present (one
    query, only on that page)."""
    request = context.get("request")
    if request is None:
        return ""
    attribution = attribution_read(request)
    if attribution is None or not attribution.within_window():
        return ""
    referrer = Member.objects.filter(
        pk=attribution.referrer_id, is_active=True, banned_at__isnull=True
    ).first()
    if referrer is None:
        return ""
    name = format_html("<strong>{}</strong>", referrer.name)
    text = conditional_escape(_("Invited by %(name)s")) % {"name": name}
    return format_html('<p class="invited-by">{}</p>', mark_safe(text))  # noqa: S308
