from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def member_link(member, url: str | None = None) -> str:
    """A member's name linking to their profile, with the program badge when they have one.
    Uses only fields of the member row, so it costs no query in lists. ``url``: the profile
    address when the caller built it already (long lists build them without ``reverse()``)."""
    if member is None:
        return format_html('<span class="member deleted">{}</span>', _("deleted member"))
    badge = ""
    if member.badge:
        badge = format_html(
            ' <span class="badge badge-{}" title="{}">{}</span>',
            member.badge,
            member.get_badge_display(),
            member.get_badge_display(),
        )
    staff = ""
    if member.is_staff:
        staff = format_html(' <span class="badge badge-staff">{}</span>', _("Staff"))
    return format_html(
        '<a class="member" href="{}">{}</a>{}{}',
        url or member.get_absolute_url(),
        member.name,
        badge,
        staff,
    )


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()
