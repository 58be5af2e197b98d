"""Template helpers for the flag button and moderator actions next to every moderatable item.
They build everything from the object's content type id and pk, so a list of 50 answers
costs no query per item (the rule list is cached and kept on the request)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from ..content import ModerationState
from ..registry import content_for
from ..selectors import rule_choices

register = template.Library()


def _rules(context) -> list:
    request = context.get("request")
    cached = getattr(request, "_moderation_rules", None) if request is not None else None
    if cached is None:
        cached = rule_choices()
        if request is not None:
            request._moderation_rules = cached
    return cached


@register.simple_tag(takes_context=True)
def moderation_info(context, target):
    if target is None or getattr(target, "pk", None) is None:
        return None
    entry = content_for(target)
    if entry is None:
        return None
    ct_id = ContentType.objects.get_for_model(target).pk
    ids = {"content_type_id": ct_id, "object_id": target.pk}
    request = context.get("request")
    state = getattr(target, "moderation_state", "")
    return {
        "key": f"{ct_id}-{target.pk}",
        "author_id": entry.author_id(target),
        "flag_url": reverse("moderation:flag", kwargs=ids),
        "hide_url": reverse("moderation:content-hide", kwargs=ids),
        "restore_url": reverse("moderation:content-restore", kwargs=ids),
        "state": state,
        "state_label": ModerationState(state).label if state else "",
        "rules": _rules(context),
        "links": entry.moderator_links(target) if entry.moderator_links else [],
        "next": request.get_full_path() if request is not None else "",
    }


@register.filter
def age(delta) -> str:
    """A short age: 45 min, 5 h, 3 d."""
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return _("%(n)s min") % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return _("%(n)s h") % {"n": hours}
    return _("%(n)s d") % {"n": hours // 24}


@register.filter
def action_label(action: str) -> str:
    """The readable name of an audit log action (other apps' actions show as written)."""
    from ..filters import ACTIONS

    return str(dict(ACTIONS).get(action, action))
