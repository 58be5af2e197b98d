"""Cheap URL building for addresses repeated hundreds of times on a page.

``reverse()`` matches the name against every candidate pattern, quotes the arguments and
checks the result against the pattern's regex: about 50 µs a call, and a question page with
its answers, comments, vote, flag and moderator links needs hundreds of them. ``url_for``
reverses a name once with stand-in values, keeps the result as a format string, and fills
it in afterwards. Only integers and plain ASCII slugs are filled in that way (they need no
quoting and match the ``int``/``slug`` converters); anything else goes through
``reverse()``, so the result is always what ``reverse()`` gives.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import quote

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_templates: dict[tuple, str | None] = {}
# Templates with words filled in are one per word: bounded, in case a pattern restricted to
# words is given many different ones (they then go through ``reverse()``).
MAX_TEMPLATES = 2000


# The URL configuration and script prefix of the request being answered, read once per
# request (``answering``, from config.site.SiteAddressMiddleware): Django keeps both in
# asgiref ``Local``s, ~2.5 µs a read, and a question page builds 150–300 addresses. Outside a
# request (workers, commands, tests setting a prefix), read at each call.
_where: ContextVar[tuple | None] = ContextVar("veche_url_where", default=None)


@contextmanager
def answering() -> Iterator[None]:
    """Addresses built inside use the URL configuration and prefix in force now."""
    token = _where.set((get_urlconf(), get_script_prefix()))
    try:
        yield
    finally:
        _where.reset(token)


def _here() -> tuple:
    return _where.get() or (get_urlconf(), get_script_prefix())


def _stand_in(position: int, value, literal_strings: bool) -> int | str:
    if isinstance(value, int):
        return 987_650_000 + position
    return value if literal_strings else f"zq{position}standin"


def _simple(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and bool(_SLUG.match(value))


def _template(name: str, args: tuple, kwargs: dict, literal_strings: bool) -> str | None:
    stand_ins = [_stand_in(i, v, literal_strings) for i, v in enumerate(args)]
    named = {
        k: _stand_in(len(args) + i, v, literal_strings) for i, (k, v) in enumerate(kwargs.items())
    }
    try:
        url = reverse(name, args=stand_ins or None, kwargs=named or None)
    except NoReverseMatch:
        return None
    url = url.replace("{", "{{").replace("}", "}}")
    for i, stand_in in enumerate(stand_ins):
        if literal_strings and isinstance(stand_in, str):
            continue
        if url.count(str(stand_in)) != 1:
            return None
        url = url.replace(str(stand_in), f"{{{i}}}")
    for key, stand_in in named.items():
        if literal_strings and isinstance(stand_in, str):
            continue
        if url.count(str(stand_in)) != 1:
            return None
        url = url.replace(str(stand_in), f"{{{key}}}")
    return url


def _text(value) -> bool:
    """Any other text without a slash (a title in Cyrillic): quoted as ``reverse()`` quotes it,
    where the pattern takes any text there (checked once per name with a probe)."""
    return isinstance(value, str) and value != "" and "/" not in value


# (name, urlconf, prefix, arity) -> whether its string parameters take any text.
_takes_text: dict[tuple, bool] = {}


def _text_url(name: str, args: tuple, kwargs: dict) -> str | None:
    key = (name, _here(), len(args), tuple(kwargs))
    verdict = _takes_text.get(key)
    if verdict is None:
        probe_args = ["é" if isinstance(v, str) else v for v in args]
        probe_kwargs = {k: "é" if isinstance(v, str) else v for k, v in kwargs.items()}
        try:
            reverse(name, args=probe_args or None, kwargs=probe_kwargs or None)
            verdict = True
        except NoReverseMatch:
            verdict = False
        if len(_takes_text) < MAX_TEMPLATES:
            _takes_text[key] = verdict
    if not verdict:
        return None
    stand_in_args = [v if _simple(v) else "zqtextstandin" for v in args]
    stand_in_kwargs = {k: v if _simple(v) else "zqtextstandin" for k, v in kwargs.items()}
    url = url_for(name, *stand_in_args, **stand_in_kwargs)
    for value in (*args, *kwargs.values()):
        if not _simple(value):
            url = url.replace("zqtextstandin", quote(value, safe=RFC3986_SUBDELIMS + "/~:@"), 1)
    return url


# (name, urlconf, prefix, parameter names or count, value types) -> the format string of an
# address whose values are all non-negative ints and slugs: the common case, answered without
# the checks below (``_slow``). ``_WORDS`` for a pattern that takes only some words there: its
# format strings are kept per word, under the key and the words.
_quick: dict[tuple, str] = {}
_WORDS = ""


def url_for(name: str, *args, **kwargs) -> str:
    """``reverse(name, args=args)`` or ``reverse(name, kwargs=kwargs)``, fast."""
    if kwargs:
        if args:
            raise ValueError("url_for takes positional or keyword arguments, not both")
        values: tuple = tuple(kwargs.values())
        key: tuple = (name, _where.get(), tuple(kwargs), tuple(map(type, values)))
    else:
        values = args
        key = (name, _where.get(), len(args), tuple(map(type, values)))
    template = _quick.get(key) if key[1] is not None else None
    if template is _WORDS:
        template = _quick.get((*key, *[v for v in values if type(v) is str]))
    if template is not None:
        for value in values:
            if type(value) is int:
                if value < 0:
                    break
            elif not _SLUG.match(value):
                break
        else:
            return template.format(*args, **kwargs)
    url, template, words = _slow(name, args, kwargs, values)
    if template is not None and key[1] is not None and len(_quick) < MAX_TEMPLATES:
        if all(type(value) is str or type(value) is int for value in values):
            if words:
                _quick[key] = _WORDS
                key = (*key, *[v for v in values if type(v) is str])
            _quick[key] = template
    return url


def _slow(name: str, args: tuple, kwargs: dict, values: tuple) -> tuple[str, str | None, bool]:
    """The address; the format string it was filled in from when it takes any non-negative
    ints and slugs where it took these values (else ``None``); and whether that format string
    holds these values' words (a pattern that takes only some words)."""
    if not all(_simple(v) for v in values):
        if all(_simple(v) or _text(v) for v in values):
            url = _text_url(name, args, kwargs)
            if url is not None:
                return url, None, False
        return reverse(name, args=args or None, kwargs=kwargs or None), None, False
    key = (
        name,
        _here(),
        len(args),
        tuple(kwargs),
        tuple(isinstance(v, int) for v in values),
    )
    try:
        template = _templates[key]
    except KeyError:
        template = _templates[key] = _template(name, args, kwargs, literal_strings=False)
    if template is None:
        # A pattern that only takes some words (``(?P<kind>question|answer)``): one template
        # per word, still filled in with the numbers.
        words = key + tuple(v for v in values if isinstance(v, str))
        try:
            template = _templates[words]
        except KeyError:
            template = _template(name, args, kwargs, literal_strings=True)
            if len(_templates) < MAX_TEMPLATES:
                _templates[words] = template
        if template is None:
            return reverse(name, args=args or None, kwargs=kwargs or None), None, False
        return template.format(*args, **kwargs), template, True  # for these words only
    return template.format(*args, **kwargs), template, False
