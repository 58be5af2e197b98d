"""Markdown for every user-written text (questions, answers, comments, FAQ, ideas).

markdown-it-py renders CommonMark (+ tables, strikethrough); raw HTML in the source is not
rendered; nh3 then keeps only a small allow-list of tags and attributes, only http(s)/mailto
links and http(s) images, and adds ``rel="nofollow ugc noopener"`` to every link.

``@username`` outside code and links becomes a link to that member's profile when such a member
exists (docs/mentions.md): the names are collected from the parsed text first, then asked of
the mention resolver (set by members, which owns members) in one call.
"""

import re
from collections.abc import Callable, Iterable, Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

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


# ``@name``: not after a letter, digit or ``@`` (so not in ``someone@example.com``); the name is
# what usernames may hold but ``@``, without the dots that end a sentence.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w][\w.+-]*)")
# At most this many distinct names of one text are looked up (the rest stay text).
MENTION_LOOKUP_LIMIT = 50

# Lower-cased names → the address of each member's profile, for the names that are members;
# set once by members (members.receivers). None: mentions stay text.
MentionResolver = Callable[[Iterable[str]], Mapping[str, str]]
_mention_resolver: MentionResolver | None = None


def set_mention_resolver(resolve: MentionResolver | None) -> None:
    global _mention_resolver
    _mention_resolver = resolve


def _mention_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in MENTION_RE.finditer(text):
        name = match.group(1).rstrip(".")
        spans.append((match.start(), match.start() + 1 + len(name), name))
    return spans


def _text_children(tokens: list[Token]) -> Iterable[Token]:
    """The inline text tokens outside links (code spans and blocks are no text tokens)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        depth = 0
        for child in block.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0:
                yield child


def _mention_names(tokens: list[Token]) -> list[str]:
    names: dict[str, str] = {}
    for child in _text_children(tokens):
        for _start, _end, name in _mention_spans(child.content):
            names.setdefault(name.lower(), name)
    return list(names.values())[:MENTION_LOOKUP_LIMIT]


def mentioned_names(source: str) -> list[str]:
    """The ``@names`` of a text that would become links (outside code and links), in order of
    appearance, each once (case-insensitively), at most ``MENTION_LOOKUP_LIMIT``."""
    if "@" not in (source or ""):
        return []
    return _mention_names(_md.parse(source))


def _link_mentions(tokens: list[Token], profiles: Mapping[str, str]) -> None:
    """Split each text token around the mentions of members into link tokens, in place."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        texts = set(map(id, _text_children([block])))
        children: list[Token] = []
        for child in block.children:
            spans = _mention_spans(child.content) if id(child) in texts else []
            spans = [span for span in spans if span[2].lower() in profiles]
            if not spans:
                children.append(child)
                continue
            at = 0
            for start, end, name in spans:
                if start > at:
                    children.append(_text(child.content[at:start]))
                link = Token("link_open", "a", 1)
                link.attrs = {"href": profiles[name.lower()], "class": "mention"}
                children += [link, _text(child.content[start:end]), Token("link_close", "a", -1)]
                at = end
            if at < len(child.content):
                children.append(_text(child.content[at:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _render(source: str) -> str:
    tokens = _md.parse(source)
    if _mention_resolver is not None and "@" in source:
        names = _mention_names(tokens)
        profiles = _mention_resolver(names) if names else {}
        if profiles:
            _link_mentions(tokens, {name.lower(): url for name, url in profiles.items()})
    return _md.renderer.render(tokens, _md.options, {})


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and _image_src is not None:
        return _image_src(value)
    return value


def render_markdown(source: str) -> str:
    """Safe HTML for ``source``. Store the result next to the source; render once per edit."""
    html = _render(source or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"a": {"mention"}},
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
