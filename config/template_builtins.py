"""Template builtins (``TEMPLATES[...]["OPTIONS"]["builtins"]``): a ``{% url %}`` that builds
addresses through ``config.urlbuild.url_for``, so a page listing hundreds of posts does not
spend its time in ``reverse()``. Same syntax and results as Django's tag; the admin's names
(which depend on the current admin site) still go through ``reverse()``."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from .urlbuild import url_for

register = template.Library()


class FastURLNode(URLNode):
    def render(self, context):
        view_name = self.view_name.resolve(context)
        if view_name.startswith("admin:") or (self.args and self.kwargs):
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        try:
            url = url_for(view_name, *args, **kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
