from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def member_link(member, url: str | None = None) -> SafeString:
    """A member's name linking to their profile, with the program badge when they have one
    (the macro of ``templates/jinja2/members/_macros.html``, shared with the Jinja2 pages)."""
    context = {"member": member, "url": url}
    return SafeString(render_to_string("members/member_link.html", context, using="jinja2"))


@register.simple_tag
def avatar(member, size: str = "", card: bool = True, label: bool = True) -> SafeString:
    """A member's avatar, uploaded or generated (the macro ``avatar`` of
    ``templates/jinja2/members/_macros.html``, shared with the Jinja2 pages)."""
    context = {"member": member, "size": size, "card": card, "label": label}
    return SafeString(render_to_string("members/avatar.html", context, using="jinja2"))


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()
