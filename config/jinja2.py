"""The Jinja2 environment of the templates under ``templates/jinja2/``: the parts of pages
repeated per post (a question's answers and comments, list rows, the FAQ), where Django's
template engine spent ~15 µs per loop turn and Jinja2 spends ~1.5 (measured in the note of
the "fast under real traffic" work; docs/caching.md, "Cheap renders").

Django's names, so these templates read like the others: ``url()`` gives Django's ``reverse``,
``_``/``gettext``/``ngettext`` are Django's translations (``{% trans %}`` blocks work too),
``static()``, and the filters ``naturaltime``, ``isodate`` and ``intcomma``; the apps add
theirs with ``register_global``. The request comes from Django's Jinja2 backend, ``csrf_input``
and ``csrf_token`` from ``csrf`` (the token masked once per request); anything else (``user``)
the caller passes.
"""

import functools
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo
from itertools import groupby
from operator import attrgetter
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter
from django.contrib.humanize.templatetags.humanize import intcomma as django_intcomma
from django.middleware.csrf import get_token
from django.template.defaultfilters import capfirst
from django.template.loader import render_to_string
from django.templatetags.i18n import language_name_local
from django.templatetags.static import static
from django.utils.formats import date_format, get_format, localize
from django.utils.functional import lazy
from django.utils.html import avoid_wrapping, conditional_escape, escapejs
from django.utils.numberformat import format as number_format_with
from django.utils.safestring import SafeString
from django.utils.timezone import (  # type: ignore[attr-defined]
    get_current_timezone,
    template_localtime,
)
from django.utils.translation import get_language, gettext, ngettext, override, pgettext
from jinja2 import Environment, Template
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro
from jinja2.utils import missing
from markupsafe import Markup, _escape_inner, escape

from .urlbuild import url_for

# Functions the apps give these templates (``register_global`` from their receivers).
GLOBALS: dict[str, Any] = {}


def register_global(name: str, value: Any) -> None:
    GLOBALS[name] = value


# --- The language and time zone of a render -----------------------------------------------
# Django keeps the active language and time zone in asgiref ``Local``s: a read costs 2–5 µs
# (the time zone's more: it is read through a missing attribute), and a question page's
# translations, dates and "3 days ago"s read them hundreds of times. A render reads them once,
# when it starts: nothing a template calls switches them for the rest of the same render (a
# service that renders an e-mail in another language does it in a render of its own, which
# reads them anew). Outside a render, each call reads them.

_render_locale: ContextVar[tuple[str | None, tzinfo] | None] = ContextVar(
    "veche_render_locale", default=None
)


# ``Markup(text)`` for a ``str`` known to be safe, without ``Markup.__new__``'s look for an
# ``__html__`` on it (~150 ns; a question page makes ~2,000 of them).
_safe = functools.partial(str.__new__, Markup)


def _escape(value: Any) -> Markup:
    """What a template's ``{{ … }}`` is escaped with (``markupsafe.escape``), without copying
    what is markup already (a macro's or a translation's result) or looking for an
    ``__html__`` on an int or a ``str``: a member's question page writes ~2,000 values."""
    kind = type(value)
    if kind is Markup:
        return value
    if kind is str:
        return _safe(_escape_inner(value))
    if kind is int:  # digits and a sign: nothing to escape
        return _safe(int.__repr__(value))
    return escape(value)


def _markup(value: Any) -> Markup:
    """``Markup`` as compiled templates call it: on the ``str`` of a macro's or a block's
    output (already escaped), or on a literal."""
    return _safe(value) if type(value) is str else Markup(value)  # noqa: S704 - as Jinja2 does


class QuickMacro(Macro):
    """Jinja2's macro, called without its arguments' juggling where there is none to do:
    names it declares, no ``caller``, ``varargs`` or ``kwargs``; its output (a ``str``, escaped
    already) marked safe by ``_safe``. A call cost ~2.5 µs more Jinja2's way, and a question page
    calls the member macros once or twice per post. Anything else goes Jinja2's way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._quick = not (
            self.catch_kwargs or self.catch_varargs or self.caller or self._environment.is_async
        )
        # The names left after n positional values, and the same as a set.
        self._rest = [
            (names, frozenset(names))
            for names in (tuple(self.arguments[n:]) for n in range(self._argument_count + 1))
        ]

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        given = len(args)
        if (
            not self._quick
            or given > self._argument_count
            or (args and type(args[0]) is EvalContext)
        ):
            return super().__call__(*args, **kwargs)
        if given < self._argument_count:
            names, known = self._rest[given]
            if kwargs and not kwargs.keys() <= known:
                return super().__call__(*args, **kwargs)  # Jinja2's error
            args = (*args, *[kwargs.get(name, missing) for name in names])
        elif kwargs:
            return super().__call__(*args, **kwargs)
        output = self._func(*args)
        return _safe(output) if self._default_autoescape else output


class LocaleTemplate(Template):
    """A template whose render reads the active language and time zone once, whose values
    are escaped by ``_escape``, and whose macros are ``QuickMacro``s."""

    @classmethod
    def _from_namespace(cls, environment: Any, namespace: Any, globals: Any) -> Any:
        # Jinja2's compiled templates take ``escape`` from the namespace they run in.
        namespace["escape"] = _escape
        namespace["Markup"] = _markup
        namespace["Macro"] = QuickMacro
        return super()._from_namespace(environment, namespace, globals)

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _render_locale.set((get_language(), get_current_timezone()))
        try:
            return super().render(*args, **kwargs)
        finally:
            _render_locale.reset(token)


_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType, Macro, QuickMacro})


class CallingContext(Context):
    """Jinja2's context, calling a plain function or a macro at once. Jinja2 compiles every
    ``f(x)`` in a template to ``context.call(f, x)``, which looks on ``f`` and on its
    ``__call__`` for a ``pass_context`` mark each time (~3 µs here): the greater part of a
    translation's or a macro's cost. The marks are on functions (a method shows its
    function's), never on macros or built-in functions; any other callable goes Jinja2's way."""

    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        if kind in _PLAIN_CALLABLES and not hasattr(obj, "jinja_pass_arg"):
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            try:
                return obj(*args, **kwargs)
            except StopIteration:  # as Jinja2 does
                return self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(obj, *args, **kwargs)


def _language() -> str | None:
    frame = _render_locale.get()
    return frame[0] if frame is not None else get_language()


def isodate(value: Any) -> str:
    """Django's ``date:"c"`` (which is ``isoformat()``), without building a formatter per
    date: an aware date in the render's time zone, anything else as Django converts it."""
    if not value:
        return ""
    frame = _render_locale.get()
    aware = type(value) is datetime and value.utcoffset() is not None
    if frame is not None and aware and settings.USE_TZ:
        return value.astimezone(frame[1]).isoformat()
    return template_localtime(value).isoformat()


def group_runs(items: Any, attribute: str) -> list[tuple[Any, list]]:
    """Consecutive items with the same ``attribute``, in their order (``groupby`` sorts)."""
    return [(key, list(run)) for key, run in groupby(items, key=attrgetter(attribute))]


# Translations as the templates use them, per language and message: Django's lookup goes
# through the active translation's fallback chain (~20 µs), and a question page asks for
# hundreds. Bounded: only so many messages are kept (a template passing free text to ``_``
# would otherwise grow it).
_translated: dict[tuple, Markup] = {}
MAX_TRANSLATED = 20_000


def _made_in(language: str | None, make: Callable[[], Any]) -> Any:
    """``make()`` with ``language`` active: what is kept under a language is made in it, even
    if something a render called has switched the active one since the render began."""
    if get_language() == language:
        return make()
    with override(language):
        return make()


def _keep(table: dict, key: tuple, make: Callable[[], Any]) -> Any:
    """``make()`` in the language ``key[0]``, kept in ``table`` under ``key``; bounded: past
    ``MAX_TRANSLATED`` entries a table is no longer added to."""
    found = table.get(key)
    if found is None:
        found = _made_in(key[0], make)
        if len(table) < MAX_TRANSLATED:
            table[key] = found
    return found


def _kept(key: tuple, text: Any) -> Markup:
    found = _translated.get(key)  # the path of every translation a template makes
    if found is not None:
        return found
    # The catalogue's text is markup, as Jinja2's own new-style gettext treats it.
    return _keep(_translated, key, lambda: Markup(text()))  # noqa: S704 - our translations


def translate(message: str, **variables: Any) -> Markup:
    """Jinja2's new-style ``_()``/``gettext()``: the translation as markup, ``%`` applied."""
    if variables:
        return _kept((_language(), message), lambda: gettext(message)) % variables
    key = (_language(), message, None)
    return _kept(key, lambda: _kept((key[0], message), lambda: gettext(message)) % {})


def translate_plural(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """Jinja2's new-style ``ngettext()`` (``num`` is a variable too)."""
    variables.setdefault("num", num)
    return Markup(kept_ngettext(singular, plural, num)) % variables  # noqa: S704 - as above


# Counted words of the templates' Python helpers (``*/labels.py``), per language, message and
# number: only numbers below ``KEPT_NUMBERS`` (a view count of a busy question is asked once).
_plurals: dict[tuple, str] = {}
KEPT_NUMBERS = 1000


def kept_ngettext(singular: str, plural: str, number: int) -> str:
    """Django's ``ngettext`` in the render's language, kept (``*/labels.py`` import it under
    Django's name, so ``makemessages`` finds their messages)."""
    if type(number) is not int or not 0 <= number < KEPT_NUMBERS:
        return ngettext(singular, plural, number)
    key = (_language(), singular, plural, number)
    return _keep(_plurals, key, lambda: ngettext(singular, plural, number))


# A language's separators for ``intcomma``: Django's ``number_format`` asks for each at every
# number (a list row shows a view count).
_number_formats: dict[tuple, tuple] = {}
_NUMBER_FORMATS = ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")


def intcomma(value: Any) -> str:
    """Django's ``intcomma`` (humanize): an int grouped as the render's language groups it;
    anything else through Django's."""
    if type(value) is not int:
        return django_intcomma(value)
    language = _language()
    formats = _keep(
        _number_formats,
        (language,),
        lambda: tuple(get_format(name, language, use_l10n=True) for name in _NUMBER_FORMATS),
    )
    decimal_separator, grouping, thousand_separator = formats
    return number_format_with(
        value,
        decimal_separator,
        grouping=grouping,
        thousand_sep=thousand_separator,
        force_grouping=True,
        use_l10n=True,
    )


class _KeptLazy:
    """A lazy message of ``NaturalTimeFormatter`` whose ``%`` results are kept per language
    and arguments (a count, or the "3 days, 2 hours" of "… ago")."""

    def __init__(self, lazy: Any) -> None:
        self.lazy = lazy
        self.results: dict[tuple, str] = {}

    def __mod__(self, rhs: dict) -> str:
        return _keep(self.results, (_language(), *rhs.items()), lambda: self.lazy % rhs)

    def __str__(self) -> str:
        return str(self.lazy)


def _kept_lazy(messages: dict) -> dict:
    return {name: _KeptLazy(lazy) for name, lazy in messages.items()}


class _NaturalTime(NaturalTimeFormatter):
    """Django's ``naturaltime`` (the same words), each of its phrases translated once: it was
    a third of a question page's Jinja2 render (a list's rows have one each too)."""

    time_strings = _kept_lazy(NaturalTimeFormatter.time_strings)
    past_substrings = _kept_lazy(NaturalTimeFormatter.past_substrings)
    future_substrings = _kept_lazy(NaturalTimeFormatter.future_substrings)


# Django's ``timesince`` in numbers: the units it names, and the seconds of the units counted
# after the years and months.
_UNITS = ("year", "month", "week", "day", "hour", "minute")
_CHUNKS = (60 * 60 * 24 * 7, 60 * 60 * 24, 60 * 60, 60)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# A phrase per language, direction and counts ("3 days, 2 hours ago"): bounded like the rest.
_phrases: dict[tuple, str] = {}


def _since(d: datetime, now: datetime) -> tuple[tuple[int, int], ...]:
    """What Django's ``timesince(d, now)`` names (two adjacent units at most), as (unit,
    count) pairs: the same calendar arithmetic, without its strings. ``d`` before ``now``,
    both in ``d``'s time zone."""
    total_months = (now.year - d.year) * 12 + (now.month - d.month)
    if d.day > now.day or (d.day == now.day and d.time() > now.time()):
        total_months -= 1
    years, months = divmod(total_months, 12)
    pivot = d
    if years or months:
        pivot_year, pivot_month = d.year + years, d.month + months
        if pivot_month > 12:
            pivot_month -= 12
            pivot_year += 1
        day = min(_MONTH_DAYS[pivot_month - 1], d.day)
        pivot = datetime(pivot_year, pivot_month, day, d.hour, d.minute, d.second, tzinfo=d.tzinfo)
    remaining = (now - pivot).total_seconds()
    counts = [years, months]
    for chunk in _CHUNKS:
        count = int(remaining // chunk)
        counts.append(count)
        remaining -= chunk * count
    first = next((i for i, count in enumerate(counts) if count), None)
    if first is None:
        return ()
    if first + 1 < len(counts) and counts[first + 1]:
        return ((first, counts[first]), (first + 1, counts[first + 1]))
    return ((first, counts[first]),)


def _days_phrase(key: tuple) -> str:
    """``"%(delta)s ago"`` (or "from now") around Django's ``timesince`` words, as Django
    writes them for the active language."""
    _, direction, parts = key
    formatter = NaturalTimeFormatter
    substrings = formatter.past_substrings if direction == "past" else formatter.future_substrings
    if parts:
        words = [avoid_wrapping(substrings[_UNITS[unit]] % {"num": count}) for unit, count in parts]
    else:
        words = [avoid_wrapping(substrings["minute"] % {"num": 0})]
    delta = gettext(", ").join(words)
    return str(formatter.time_strings[f"{direction}-day"] % {"delta": delta})


def naturaltime(value: Any) -> str:
    """Django's ``naturaltime``, word for word: for an aware date a day or more away, the
    phrase is made once per language and counts (``_since`` counts as Django does);
    anything else through Django's formatter, with its phrases translated once."""
    if type(value) is not datetime or value.utcoffset() is None:
        return str(_NaturalTime.string_for(value))
    return natural_time_at(value, datetime.now(UTC))


def natural_time_at(value: datetime, now: datetime) -> str:
    """``naturaltime`` of an aware ``value`` at ``now`` (UTC)."""
    past = value < now
    if not (now - value if past else value - now).days:  # less than a day: Django's way
        return str(_NaturalTime.string_for(value))
    if value.tzinfo is not UTC:  # counted in the date's zone, as Django does
        now = now.astimezone(value.tzinfo)
    # Django's ``timeuntil`` is ``timesince`` with the two swapped.
    since = _since(value, now) if past else _since(now, value)
    key = (_language(), "past" if past else "future", since)
    return _keep(_phrases, key, lambda: _days_phrase(key))


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.template_class = LocaleTemplate
    env.context_class = CallingContext
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        _=translate,
        gettext=translate,
        ngettext=translate_plural,
        # ``reverse()``'s address, built by ``config.urlbuild.url_for`` (the same result,
        # tested against ``reverse``): a question page asks for hundreds of them.
        url=url_for,
        static=static,
        pgettext=pgettext,
        get_language=get_language,
        available_languages=lambda: settings.LANGUAGES,
        **GLOBALS,
    )
    env.filters.update(
        naturaltime=naturaltime,
        isodate=isodate,
        intcomma=intcomma,
        group_runs=group_runs,
        localize=localize,
        date_format=date_format,
        capfirst=capfirst,
        language_name_local=language_name_local,
        escapejs=escapejs,
        django_escape=conditional_escape,
    )
    return env


# --- The CSRF token, masked once per request -------------------------------------------------


def page_token(request: Any) -> str:
    """The request's CSRF token, masked once. Django's ``get_token`` masks the secret anew at
    every call (32 ``os.urandom`` calls, ~55 µs), and its Jinja2 backend calls it at every
    ``{{ csrf_input }}``: 15 times on a member's page of the idea board. Masked again when the
    secret changes (a log-in rotates it). Only when asked: a page without a form sets no cookie."""
    kept = getattr(request, "veche_csrf", None)
    if kept is None or kept["secret"] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)  # sets the secret when the request had none
        kept = request.veche_csrf = {"secret": request.META["CSRF_COOKIE"], "token": token}
    return kept["token"]


def page_csrf_input(request: Any) -> SafeString:
    """The form field carrying ``page_token`` (``chrome/csrf_input.html``), rendered once."""
    token = page_token(request)
    kept = request.veche_csrf
    if "input" not in kept:
        html = render_to_string("chrome/csrf_input.html", {"token": token}, using="jinja2")
        kept["input"] = SafeString(html)
    return kept["input"]


# Made once: each ``lazy()`` call builds a class (~50 µs), and a page renders 5–10 templates.
_lazy_token = lazy(page_token, str)
_lazy_input = lazy(page_csrf_input, SafeString)


def csrf(request: Any) -> dict[str, Any]:
    """``csrf_token`` and ``csrf_input`` from ``page_token``: a context processor of both
    template engines, run after (so in place of) Django's own, which mask anew per render
    (Django templates) or per use (Jinja2)."""
    return {"csrf_token": _lazy_token(request), "csrf_input": _lazy_input(request)}


# --- Renders shared by viewers, with holes for what is each viewer's own ------------------
# A part of a page that differs between viewers in a few places (a question's answers: a
# member's own posts and votes, their CSRF token) is rendered once for a viewer who has none
# of that, with those places marked as holes, kept (``config.cache.remember``), and given to
# each viewer with their own holes rendered again and their token in. Marks are random tokens
# of that one render, so nothing a post says can be taken for one.

Shared = tuple[list[str], list[tuple], str]


def render_with_holes(template_name: str, context: dict[str, Any], request: Any) -> Shared:
    """The render of ``template_name`` cut at its holes: the text around and inside them
    (``parts``: around, inside, around…), each hole's name (``hole(*name)`` opens one,
    ``hole()`` closes it) and the mark standing for the viewer's CSRF token (``hole_token``)."""
    mark, token_mark, holes = secrets.token_hex(16), secrets.token_hex(16), []

    def hole(*name: Any) -> Markup:
        if name:
            holes.append(name)
        return Markup(mark)  # noqa: S704 - our random token, not user input

    names = {"hole": hole, "hole_token": Markup(token_mark)}  # noqa: S704 - as above
    html = render_to_string(template_name, {**context, **names}, request, using="jinja2")
    parts = html.split(mark)
    if len(parts) != 2 * len(holes) + 1:  # a hole not closed, or closed twice
        raise ValueError(f"{template_name}: {len(holes)} holes, {len(parts) - 1} marks")
    return parts, holes, token_mark


def fill_holes(
    shared: Shared,
    own: Callable[[tuple], bool],
    template_name: str,
    context: dict[str, Any],
    request: Any,
) -> SafeString:
    """``shared`` for this viewer: the holes ``own(name)`` says are theirs rendered by
    ``template_name`` (given ``holes``; it writes ``mark`` before each), the token theirs."""
    parts, holes, token_mark = shared
    mine = [i for i, name in enumerate(holes) if own(name)]
    filled: dict[int, str] = {}
    if mine:
        mark = secrets.token_hex(16)
        names = {"holes": [holes[i] for i in mine], "mark": mark}
        html = render_to_string(template_name, {**context, **names}, request, using="jinja2")
        texts = html.split(mark)[1:]
        if len(texts) != len(mine):
            raise ValueError(f"{template_name}: {len(mine)} holes, {len(texts)} filled")
        filled = dict(zip(mine, texts, strict=True))
    out = [parts[0]]
    for i in range(len(holes)):
        out += (filled.get(i, parts[2 * i + 1]), parts[2 * i + 2])
    return SafeString("".join(out).replace(token_mark, page_token(request)))


# ``{% load jinja %}{% jinja "forum/answers.html" rows=table.rows %}``: a Jinja2 template
# inside a Django one, with the Django template's context and the given names (TEMPLATES'
# "libraries"). ``only="user community"``: those names of the context alone (the page header:
# every page's own names, a ``url`` say, would hide the template's functions).
register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, template_name: str, **names: Any) -> SafeString:
    request = context.get("request")
    values: dict[str, Any]
    if "only" in names:
        values = {name: context.get(name) for name in names.pop("only").split()}
    else:
        values = context.flatten()  # type: ignore[assignment]  # str keys here
    return SafeString(render_to_string(template_name, {**values, **names}, request, using="jinja2"))
