"""Template helpers for the flag button and moderator actions next to every moderatable item,
and for the items of the moderation inbox. They build everything from the object's content
type id and pk, so a list of 50 answers costs no query per item (the rule list is cached and
kept on the request)."""

import re
from urllib.parse import quote

from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.markdown import plain_text
from config.urlbuild import url_for

from ..content import ModerationState
from ..filters import ACTIONS
from ..registry import audit_revert_url, content_for
from ..selectors import rule_choices
from ..services.screening import reason_display

register = template.Library()


def _rules(request) -> list:
    """The current rules, once per request (they are cached, ``selectors.rule_choices``)."""
    cached = getattr(request, "_moderation_rules", None) if request is not None else None
    if cached is None:
        cached = rule_choices()
        if request is not None:
            request._moderation_rules = cached
    return cached


def flag_returns_to(request, path: str) -> None:
    """The flag links of this request bring the member back to ``path`` (not the query they
    came with: a render shared by members carries no member's query)."""
    request._moderation_here = (path, quote(path, safe="/"))


def _here(request) -> tuple[str, str]:
    """The page's address and its query-string form, worked out once per request (a question
    page has fifty flag links; quoting a long non-Latin slug is the costly part)."""
    here = getattr(request, "_moderation_here", None)
    if here is None:
        path = request.get_full_path()
        here = request._moderation_here = (path, quote(path, safe="/"))
    return here


def moderation_info(request, target) -> dict | None:
    """What the flag control and the moderator actions need of ``target``: the same for every
    viewer, worked out once per object and request. A global of the Jinja2 templates too."""
    if target is None or getattr(target, "pk", None) is None:
        return None
    entry = content_for(target)
    if entry is None:
        return None
    ct_id = ContentType.objects.get_for_model(target).pk
    state = getattr(target, "moderation_state", "")
    memo = None
    if request is not None:
        memo = request.__dict__.setdefault("_moderation_info", {})
        info = memo.get((ct_id, target.pk, state))
        if info is not None:
            return info
    rules = _rules(request)
    info = {
        "key": f"{ct_id}-{target.pk}",
        "ids": {"content_type_id": ct_id, "object_id": target.pk},  # of the forms' addresses
        "author_id": entry.author_id(target),
        "state": state,
        "state_label": ModerationState(state).label if state else "",
        "rules": rules,
        "links": entry.moderator_links(target) if entry.moderator_links else [],
        "next": _here(request)[0] if request is not None else "",
    }
    if memo is not None:
        memo[(ct_id, target.pk, state)] = info
    return info


def flag_url(request, target, viewer=None) -> str:
    """The flag page's address for ``target``, with the way back here, or ``""`` when the
    signed-in ``viewer`` (the request's member unless given: a render shared by members is
    made for a member who wrote nothing) may not flag it (their own, not published, no
    rules). What members who
    are not moderators get beside every post: a light ``moderation_info`` (on a question page
    of fifty posts the full one was a sixth of a member's render)."""
    entry = content_for(target) if getattr(target, "pk", None) is not None else None
    state = getattr(target, "moderation_state", "")
    if entry is None or (state and state != ModerationState.PUBLISHED):
        return ""
    if entry.author_id(target) == (viewer or request.user).pk or not _rules(request):
        return ""
    bases = request.__dict__.setdefault("_moderation_flag_bases", {})
    base = bases.get(type(target))
    if base is None:  # the address of object 0 of this content type, without the "0/"
        ct_id = ContentType.objects.get_for_model(target).pk
        base = bases[type(target)] = _flag_address(ct_id, 0)[:-2]
    return f"{base}{target.pk}/?next={_here(request)[1]}"


def _flag_address(content_type_id: int, object_id: int) -> str:
    return url_for("moderation:flag", content_type_id=content_type_id, object_id=object_id)


@register.simple_tag(takes_context=True)
def moderation_controls(context, target, actions: bool = True) -> SafeString:
    """The flag control and, for moderators, the moderator actions of ``target``: the macros
    of ``templates/jinja2/moderation/_controls.html`` (the Jinja2 pages call them directly)."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return SafeString("")
    return SafeString(
        render_to_string(
            "moderation/controls.html",
            {"target": target, "user": user, "actions": actions},
            request,
            using="jinja2",
        )
    )


def _age_formats() -> tuple[str, str, str]:
    return _("%(n)s min"), _("%(n)s h"), _("%(n)s d")


def _age(delta, formats: tuple[str, str, str]) -> str:
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return formats[0] % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return formats[1] % {"n": hours}
    return formats[2] % {"n": hours // 24}


@register.filter
def age(delta) -> str:
    """A short age: 45 min, 5 h, 3 d."""
    return _age(delta, _age_formats())


@register.filter
def action_label(action: str) -> str:
    """The readable name of an audit log action (an unknown one shows as written)."""
    return str(dict(ACTIONS).get(action, action))


@register.filter
def held_reasons(stored: str) -> str:
    """Why a post is held, in the reader's language (stored in English)."""
    return reason_display(stored)


# What older rows and the demo stored as the target's text: "answer #232", "member #7".
_NUMBERED = re.compile(r"^[\w ]+ #\d+$")


@register.simple_tag
def audit_revert(entry) -> str | None:
    """The address where staff revert what ``entry`` records (``register_audit_revert``)."""
    return audit_revert_url(entry)


@register.simple_tag
def audit_target(entry) -> str:
    """An audit entry's target in words, in the reader's language: its kind and number, and
    its title or the start of its text as plain text (the stored text may be Markdown)."""
    text = "" if _NUMBERED.match(entry.target_repr) else entry.target_repr
    text = re.sub(r"[*_`~]+", "", plain_text(text, 80))
    model = (
        ContentType.objects.get_for_id(entry.target_type_id).model_class()
        if entry.target_type_id
        else None
    )
    if model is None:
        return text
    kind = capfirst(model._meta.verbose_name)
    if not text:
        return _("%(kind)s #%(id)s") % {"kind": kind, "id": entry.target_id}
    return _("%(kind)s #%(id)s: %(text)s") % {"kind": kind, "id": entry.target_id, "text": text}


# --- the inbox -----------------------------------------------------------------------------

# The approve and reject buttons say what they do in these queues (elsewhere: Approve, Reject).
_APPROVE = {
    "flagged": gettext_lazy("Keep (dismiss flags)"),
    "appeals": gettext_lazy("Grant appeal"),
}
_REJECT = {
    "flagged": gettext_lazy("Remove (uphold flags)"),
    "appeals": gettext_lazy("Deny appeal"),
}


@register.inclusion_tag("moderation/_queue_item.html", takes_context=True)
def queue_item(context, row: dict, rule_options: str) -> dict:
    """One item of the moderation inbox (a row of ``selectors.queue_rows``): what it is, who
    and how long it waits, and its claim, approve and reject forms. Each form works without
    JavaScript; with htmx, approve and reject replace the item with their outcome."""
    request = context.get("request")
    queue = row["item"].queue
    return {
        "row": row,
        "rule_options": rule_options,
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "next": _here(request)[0] if request is not None else "",
        "next_quoted": _here(request)[1] if request is not None else "",
        "approve_label": _APPROVE.get(queue, gettext_lazy("Approve")),
        "reject_label": _REJECT.get(queue, gettext_lazy("Reject")),
    }
