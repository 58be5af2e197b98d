"""Template helpers for the flag button and moderator actions next to every moderatable item,
and for the items of the moderation inbox. They build everything from the object's content
type id and pk, so a list of 50 answers costs no query per item (the rule list is cached and
kept on the request)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.html import Labels, esc
from config.html import html as markup
from config.pagecache import local_snapshots
from config.urlbuild import url_for
from members.templatetags.members_tags import member_link

from ..content import ModerationState
from ..filters import ACTIONS
from ..registry import content_for
from ..selectors import rule_choices

register = template.Library()


def _rules(context) -> tuple[list, str]:
    """The current rules and their ``<option>`` list, built once per process and site
    generation (and kept on the request, for when that is off): every flag and hide form on
    every page repeats them."""
    request = context.get("request")
    cached = getattr(request, "_moderation_rules", None) if request is not None else None
    if cached is None:
        cached = local_snapshots.get("rule-options", 1, _rule_options)
        if request is not None:
            request._moderation_rules = cached
    return cached


def _rule_options() -> tuple[list, str]:
    rules = rule_choices()
    return rules, format_html_join("", '<option value="{}">{}. {}</option>', rules)


@register.simple_tag(takes_context=True)
def moderation_info(context, target):
    """What the flag control and the moderator actions need of ``target``; the same for every
    viewer, so it is worked out once per object and request (both controls ask for it)."""
    if target is None or getattr(target, "pk", None) is None:
        return None
    entry = content_for(target)
    if entry is None:
        return None
    ct_id = ContentType.objects.get_for_model(target).pk
    state = getattr(target, "moderation_state", "")
    request = context.get("request")
    memo = None
    if request is not None:
        memo = request.__dict__.setdefault("_moderation_info", {})
        info = memo.get((ct_id, target.pk, state))
        if info is not None:
            return info
    ids = {"content_type_id": ct_id, "object_id": target.pk}
    rules, rule_options = _rules(context)
    info = {
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
        "next": request.get_full_path() if request is not None else "",
    }
    if memo is not None:
        memo[(ct_id, target.pk, state)] = info
    return info


# The flag control and the moderator actions sit next to every post and comment of a page
# (a question page with 35 answers and their comments renders them ~100 times). They are
# built here in Python: as included templates they cost 0.25 ms each, most of a page.
EMPTY = mark_safe("")  # noqa: S308 - a constant
LABELS = Labels(
    {
        "flag": gettext_lazy("Flag"),
        "which": gettext_lazy("Which rule does it break?"),
        "note": gettext_lazy("Note (optional)"),
        "send": gettext_lazy("Send flag"),
        "moderate": gettext_lazy("Moderate"),
        "rule": gettext_lazy("Rule"),
        "message": gettext_lazy("Message to the author"),
        "hide": gettext_lazy("Hide"),
        "approve": gettext_lazy("Approve"),
        "restore": gettext_lazy("Restore"),
        "sanction": gettext_lazy("Warn or sanction the author"),
        "inbox": gettext_lazy("Moderation inbox"),
    }
)
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
    return markup('<input type="hidden" name="csrfmiddlewaretoken" value="{token}">', token=token)


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
    return markup(
        FLAG_HTML,
        url=m["flag_url"],
        csrf=csrf_input(context),
        next=m["next"],
        key=m["key"],
        options=m["rule_options"],
        **LABELS.get(),
    )


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
        badge = markup(' <span class="badge badge-held">{label}</span>', label=m["state_label"])
    hide = restore = ""
    if state in (ModerationState.PUBLISHED, ModerationState.HELD):
        hide = markup(
            HIDE_HTML,
            url=m["hide_url"],
            csrf=csrf,
            next=m["next"],
            key=m["key"],
            options=m["rule_options"],
            **labels,
        )
    if state in (ModerationState.HIDDEN, ModerationState.REJECTED, ModerationState.HELD):
        restore = markup(
            RESTORE_HTML,
            url=m["restore_url"],
            csrf=csrf,
            next=m["next"],
            label=labels["approve" if state == ModerationState.HELD else "restore"],
        )
    links = format_html_join("", '<li><a href="{}">{}</a></li>', m["links"])
    if m["author_id"]:
        links += markup(
            LINK_HTML,
            label=labels["sanction"],
            url=url_for("moderation:member-by-id", member_id=m["author_id"]),
        )
    links += markup(LINK_HTML, url=url_for("moderation:inbox"), label=labels["inbox"])
    return markup(
        ACTIONS_HTML,
        badge=badge,
        hide=hide,
        restore=restore,
        links=links,
        moderate=labels["moderate"],
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
    """The readable name of an audit log action (other apps' actions show as written)."""
    return str(dict(ACTIONS).get(action, action))


# --- the inbox -----------------------------------------------------------------------------
# The inbox's items are built here rather than by a template: as a Django template an item
# rendered ~600 nodes (three forms, the rule list, links, translations), and a page of 50
# items took ~75 ms. Here what is the same for every item (the CSRF and "next" fields, the
# translated labels) is escaped once per page, and each item escapes only its own values,
# with ``config.html.esc`` (Django's escaping without its per-call overhead).

# The approve and reject buttons say what they do in these queues (elsewhere: Approve, Reject).
_APPROVE = {
    "flagged": gettext_lazy("Keep (dismiss flags)"),
    "appeals": gettext_lazy("Grant appeal"),
}
_REJECT = {
    "flagged": gettext_lazy("Remove (uphold flags)"),
    "appeals": gettext_lazy("Deny appeal"),
}


def _inbox_page(context) -> dict:
    """What every item of the page shares, escaped once (kept for the rest of the render)."""
    page = context.render_context.get("moderation_inbox_page")
    if page is not None:
        return page
    request = context.get("request")
    user = context.get("user")
    hidden = format_html(
        '{}<input type="hidden" name="next" value="{}">',
        csrf_input(context),
        request.get_full_path() if request is not None else "",
    )
    page = {
        "hidden": hidden,
        "user_pk": getattr(user, "pk", None),
        "age_formats": _age_formats(),
        "approve": {k: esc(v) for k, v in _APPROVE.items()},
        "reject": {k: esc(v) for k, v in _REJECT.items()},
        "labels": {},
    }
    for key, text in {
        "select": _("Select"),
        "by": _("by"),
        "history": _("history and sanctions"),
        "overdue": _("overdue"),
        "new_member": _("new member"),
        "claim": _("Claim"),
        "rule": _("Rule"),
        "rule_prompt": _("Rule…"),
        "message": _("Message to the author"),
        "approve_default": _("Approve"),
        "reject_default": _("Reject"),
        "waiting": _("waiting %(a)s"),
        "claimed_by": _("claimed by %(name)s"),
        "appeal_against": _("Appeal against “%(action)s” on %(what)s"),
    }.items():
        page[key] = esc(text)
    context.render_context["moderation_inbox_page"] = page
    return page


def _label(page: dict, text, key=None) -> str:
    """Labels (queues, content types, states, trust levels) repeat down the page: escaped
    once each. Give a plain ``key`` for a lazy label: hashing it would translate it."""
    key = text if key is None else key
    escaped = page["labels"].get(key)
    if escaped is None:
        escaped = page["labels"][key] = esc(text)
    return escaped


@register.simple_tag(takes_context=True)
def queue_item(context, row: dict, rule_options: str) -> SafeString:
    """One item of the moderation inbox (a row of ``selectors.queue_rows``): what it is, who
    and how long it waits, and its claim, approve and reject forms. Each form works without
    JavaScript; with htmx, approve and reject replace the item with their outcome."""
    page = _inbox_page(context)
    item = row["item"]
    pk = item.pk
    title = esc(row["title"])
    head = [
        f'<input type="checkbox" name="items" value="{pk}" form="bulk-form" id="select-{pk}" '
        f'aria-label="{page["select"]}">',
        f'<span class="tag">{_label(page, row["queue_label"], ("queue", item.queue))}</span>',
        f"<strong>{_label(page, row['label'])}</strong>",
        f'<a href="{esc(row["url"])}">{title}</a>' if row["url"] else f"<span>{title}</span>",
    ]
    if row["state_label"]:
        head.append(f'<span class="badge badge-held">{_label(page, row["state_label"])}</span>')
    if item.priority >= 10:
        head.append(f'<span class="badge badge-new">{page["new_member"]}</span>')

    meta = []
    member = item.member
    if member is not None:
        meta.append(
            f"{page['by']} {member_link(member, url=row['member_url'])} "
            f"({_label(page, row['member_trust'])}) · "
            f'<a href="{esc(row["member_history_url"])}">{page["history"]}</a> · '
        )
    waiting = page["waiting"] % {"a": esc(_age(row["age"], page["age_formats"]))}
    if row["overdue"]:
        waiting += f" · <strong>{page['overdue']}</strong>"
    meta.append(waiting)
    if item.claimed_by is not None:
        meta.append(" · " + page["claimed_by"] % {"name": esc(item.claimed_by.name)})

    extra = ""
    if item.reason:
        extra += f'\n<p class="queue-reason">{linebreaksbr(item.reason)}</p>'
    decision = row["decision"]
    if decision is not None:
        appeal = page["appeal_against"] % {
            "action": esc(action_label(decision.action)),
            "what": esc(decision.target_repr),
        }
        if decision.rule:
            appeal += f" ({esc(decision.rule.citation)})"
        extra += f'\n<p class="meta">{appeal}</p>'

    hidden = page["hidden"]
    claim = ""
    if item.claimed_by_id != page["user_pk"]:
        claim = (
            f'<form method="post" action="{esc(row["claim_url"])}" class="inline">{hidden}'
            f'<button type="submit">{page["claim"]}</button></form>\n'
        )
    approve_url = esc(row["approve_url"])
    reject_url = esc(row["reject_url"])
    links = "".join(f'<a href="{esc(url)}">{esc(label)}</a> ' for label, url in row["links"])
    return mark_safe(  # every value above is escaped; the fixed parts are markup
        f'<li class="card queue-item{" overdue" if row["overdue"] else ""}" id="item-{pk}">\n'
        f'<div class="queue-item-head">\n{chr(10).join(head)}\n</div>\n'
        f'<p class="meta">\n{chr(10).join(meta)}\n</p>{extra}\n'
        f'<div class="queue-actions">\n{claim}'
        f'<form method="post" action="{approve_url}" class="inline" hx-post="{approve_url}" '
        f'hx-target="#item-{pk}" hx-swap="outerHTML">{hidden}'
        f'<button type="submit" class="approve">'
        f"{page['approve'].get(item.queue, page['approve_default'])}</button></form>\n"
        f'<form method="post" action="{reject_url}" class="inline reject-form" '
        f'hx-post="{reject_url}" hx-target="#item-{pk}" hx-swap="outerHTML">{hidden}\n'
        f'<label for="reject-rule-{pk}" class="visually-hidden">{page["rule"]}</label>\n'
        f'<select id="reject-rule-{pk}" name="rule"><option value="">{page["rule_prompt"]}'
        f"</option>{rule_options}</select>\n"
        f'<label for="reject-message-{pk}" class="visually-hidden">{page["message"]}</label>\n'
        f'<input id="reject-message-{pk}" type="text" name="message" maxlength="2000" '
        f'placeholder="{page["message"]}">\n'
        f'<button type="submit" class="reject">'
        f"{page['reject'].get(item.queue, page['reject_default'])}</button>\n</form>\n"
        f"{links}</div>\n</li>"
    )
