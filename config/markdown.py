"""Markdown for every user-written text (questions, answers, comments, FAQ, ideas).

markdown-it-py renders CommonMark (+ tables, strikethrough); raw HTML in the source is not
rendered; nh3 then keeps only a small allow-list of tags and attributes, only http(s)/mailto
links and http(s) images, and adds ``rel="nofollow ugc noopener"`` to every link.
"""

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_LINK_RE = re.compile(r"https?://", re.IGNORECASE)

# What an image's address becomes in the rendered HTML: uploads sends images from other
# hosts through the site's image proxy (uploads.proxy), so readers' browsers contact no
# other host. None: addresses stay as written.
_image_src: Callable[[str], str] | None = None


def set_image_rewriter(rewrite: Callable[[str], str] | None) -> None:
    """Set once, by the app that owns the image proxy (uploads.receivers)."""
    global _image_src
    _image_src = rewrite


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and _image_src is not None:
        return _image_src(value)
    return value


def render_markdown(source: str) -> str:
    """Safe HTML for ``source``. Store the result next to the source; render once per edit."""
    html = _md.render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
        filter_style_properties={"text-align"},
        attribute_filter=_attribute,
    )


def count_links(source: str) -> int:
    """How many links a text carries (for spam checks and new-member limits)."""
    return len(_LINK_RE.findall(source or ""))


def plain_text(source: str, limit: int | None = None) -> str:
    """The text without markup, for excerpts, e-mails and search."""
    return html_text(_md.render(source or ""), limit)


def html_text(html: str, limit: int | None = None) -> str:
    """``plain_text`` of a body already rendered (a post's stored ``body_html``): the same
    text without parsing the Markdown again."""
    text = nh3.clean(html or "", tags=set())
    text = re.sub(r"\s+", " ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
