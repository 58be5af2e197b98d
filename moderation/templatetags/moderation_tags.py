"""Template helpers for the flag button and moderator actions next to every moderatable item.
They build everything from the object's content type id and pk, so a list of 50 answers
costs no query per item (the rule list is cached and kept on the request)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.html import Labels, html
from config.urlbuild import url_for

from ..content import ModerationState
from ..registry import content_for
from ..selectors import rule_choices

register = template.Library()


def _rules(context) -> tuple[list, str]:
    """The current rules and their ``<option>`` list, built once per request: every flag
    and hide form on the page repeats them."""
    request = context.get("request")
    cached = getattr(request, "_moderation_rules", None) if request is not None else None
    if cached is None:
        rules = rule_choices()
        cached = (rules, format_html_join("", '<option value="{}">{}. {}</option>', rules))
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
    next_url = ""
    if request is not None:
        next_url = getattr(request, "_moderation_next", None)
        if next_url is None:
            next_url = request._moderation_next = request.get_full_path()
    state = getattr(target, "moderation_state", "")
    rules, rule_options = _rules(context)
    return {
        "key": f"{ct_id}-{target.pk}",
        "author_id": entry.author_id(target),
        "flag_url": url_for("moderation:flag", **ids),
        "hide_url": url_for("moderation:content-hide", **ids),
        "restore_url": url_for("moderation:content-restore", **ids),
        "state": state,
        "state_label": ModerationState(state).label if state else "",
        "rules": rules,
        "rule_options": rule_options,
        "links": entry.moderator_links(target) if entry.moderator_links else [],
        "next": next_url,
    }


# The flag control and the moderator actions sit next to every post and comment of a page
# (a question page with 35 answers and their comments renders them ~100 times). They are
# built here in Python: as included templates they cost 0.25 ms each, most of a page.
EMPTY = mark_safe("")  # noqa: S308 - a constant
LABELS = Labels({
    "flag": gettext_lazy("Flag"), "which": gettext_lazy("Which rule does it break?"),
    "note": gettext_lazy("Note (optional)"), "send": gettext_lazy("Send flag"),
    "moderate": gettext_lazy("Moderate"), "rule": gettext_lazy("Rule"),
    "message": gettext_lazy("Message to the author"), "hide": gettext_lazy("Hide"),
    "approve": gettext_lazy("Approve"), "restore": gettext_lazy("Restore"),
    "sanction": gettext_lazy("Warn or sanction the author"),
    "inbox": gettext_lazy("Moderation inbox"),
})
FLAG_HTML = (
    '\n<details class="flag-control">\n  <summary>{flag}</summary>\n'
    '  <form method="post" action="{url}" class="flag-form">{csrf}\n'
    '    <input type="hidden" name="next" value="{next}">\n'
    '    <label for="flag-rule-{key}">{which}</label>\n'
    '    <select id="flag-rule-{key}" name="rule" required>{options}</select>\n'
    '    <label for="flag-note-{key}">{note}</label>\n'
    '    <input id="flag-note-{key}" type="text" name="note" maxlength="1000">\n'
    '    <button type="submit">{send}</button>\n  </form>\n</details>'
)
HIDE_HTML = (
    '\n    <form method="post" action="{url}">{csrf}\n'
    '      <input type="hidden" name="next" value="{next}">\n'
    '      <label for="hide-rule-{key}">{rule}</label>\n'
    '      <select id="hide-rule-{key}" name="rule" required>{options}</select>\n'
    '      <label for="hide-reason-{key}">{message}</label>\n'
    '      <input id="hide-reason-{key}" type="text" name="reason" maxlength="2000">\n'
    '      <button type="submit">{hide}</button>\n    </form>'
)
RESTORE_HTML = (
    '\n    <form method="post" action="{url}">{csrf}\n'
    '      <input type="hidden" name="next" value="{next}">\n'
    '      <button type="submit">{label}</button>\n    </form>'
)
ACTIONS_HTML = (
    '\n<details class="mod-actions">\n  <summary>{moderate}{badge}</summary>\n'
    '  <div class="mod-actions-body">{hide}{restore}\n'
    '    <ul class="mod-links">{links}</ul>\n  </div>\n</details>'
)
LINK_HTML = '<li><a href="{url}">{label}</a></li>'


def csrf_input(context) -> SafeString:
    """What ``{% csrf_token %}`` renders, for tags that build forms."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return EMPTY
    return html('<input type="hidden" name="csrfmiddlewaretoken" value="{token}">',
                token=token)


@register.simple_tag(takes_context=True)
def flag_control(context, target) -> SafeString:
    """The "Flag" control: a rule and a note, for signed-in members on others' published
    content."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return EMPTY
    m = moderation_info(context, target)
    if not m or m["author_id"] == user.pk or not m["rules"]:
        return EMPTY
    if m["state"] and m["state"] != ModerationState.PUBLISHED:
        return EMPTY
    return html(FLAG_HTML, url=m["flag_url"], csrf=csrf_input(context), next=m["next"],
                key=m["key"], options=m["rule_options"], **LABELS.get())


@register.simple_tag(takes_context=True)
def moderator_actions(context, target) -> SafeString:
    """Hide (with the rule and a message), restore or approve, and the content app's own
    moderator links, for moderators."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_moderator:
        return EMPTY
    m = moderation_info(context, target)
    if not m:
        return EMPTY
    labels = LABELS.get()
    state = m["state"]
    csrf = csrf_input(context)
    badge = ""
    if state and state != ModerationState.PUBLISHED:
        badge = html(' <span class="badge badge-held">{label}</span>', label=m["state_label"])
    hide = restore = ""
    if state in (ModerationState.PUBLISHED, ModerationState.HELD):
        hide = html(HIDE_HTML, url=m["hide_url"], csrf=csrf, next=m["next"], key=m["key"],
                    options=m["rule_options"], **labels)
    if state in (ModerationState.HIDDEN, ModerationState.REJECTED, ModerationState.HELD):
        restore = html(RESTORE_HTML, url=m["restore_url"], csrf=csrf, next=m["next"],
                       label=labels["approve" if state == ModerationState.HELD else "restore"])
    links = format_html_join("", "<li><a href=\"{}\">{}</a></li>", m["links"])
    if m["author_id"]:
        links += html(LINK_HTML, label=labels["sanction"],
                      url=url_for("moderation:member-by-id", member_id=m["author_id"]))
    links += html(LINK_HTML, url=url_for("moderation:inbox"), label=labels["inbox"])
    return html(ACTIONS_HTML, badge=badge, hide=hide, restore=restore, links=links,
                moderate=labels["moderate"])


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
