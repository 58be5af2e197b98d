"""The Jinja2 templates' translations, dates and "3 days ago"s read the language and time zone
once per render (config.jinja2, "The language and time zone of a render") and say word for
word what Django says."""

import datetime as dt
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from hypothesis import given, settings
from hypothesis import strategies as st

from config import jinja2 as cj

NOW = dt.datetime(2026, 3, 31, 22, 45, 17, 250_000, tzinfo=dt.UTC)
ZONES = [dt.UTC, ZoneInfo("Europe/Moscow"), ZoneInfo("America/Los_Angeles"), ZoneInfo("UTC")]


class _Frozen(dt.datetime):
    """Django's formatter asks ``datetime.now``: here it is ``NOW``."""

    @classmethod
    def now(cls, tz=None):
        return NOW.astimezone(tz) if tz else NOW.replace(tzinfo=None)


def _django_naturaltime(value):
    with mock.patch("django.contrib.humanize.templatetags.humanize.datetime", _Frozen):
        return str(NaturalTimeFormatter.string_for(value))


def _ours(value):
    with mock.patch("django.contrib.humanize.templatetags.humanize.datetime", _Frozen):
        return cj.natural_time_at(value, NOW)


@settings(max_examples=300, deadline=None)
@given(
    seconds=st.one_of(
        st.integers(-5 * 366 * 86400, 5 * 366 * 86400),
        st.integers(-3 * 86400, 3 * 86400),  # around the one-day turn
        st.sampled_from([0, 1, 59, 60, 3599, 3600, 86399, 86400, 86401, -86400, -86401]),
    ),
    micro=st.integers(0, 999_999),
    zone=st.sampled_from(ZONES),
    language=st.sampled_from(["en", "ru"]),
)
def test_naturaltime_says_what_django_says(seconds, micro, zone, language):
    value = (NOW - dt.timedelta(seconds=seconds, microseconds=micro)).astimezone(zone)
    with translation.override(language):
        assert _ours(value) == _django_naturaltime(value)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_naturaltime_across_month_ends_and_leap_days(language):
    """The calendar arithmetic: a month counted from the 31st, from 29 February, over a
    year's end."""
    days = [
        dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 31, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2025, 12, 31, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 28, 22, 45, 17, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 30, 22, 45, 18, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 31, 22, 45, 17, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 30, 23, tzinfo=ZoneInfo("Europe/Moscow")),
    ]
    with translation.override(language):
        for value in days:
            assert _ours(value) == _django_naturaltime(value), value


def test_naturaltime_of_anything_else_is_djangos():
    with translation.override("ru"):
        for value in (None, "", "yesterday", NOW.replace(tzinfo=None)):
            assert cj.naturaltime(value) == str(NaturalTimeFormatter.string_for(value))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Moscow", "America/Los_Angeles"])
def test_isodate_is_djangos_date_c_in_the_time_zone_in_force(zone):
    template = engines["jinja2"].from_string("{{ value|isodate }}")
    values = [NOW, NOW.astimezone(ZoneInfo("Asia/Tokyo")), NOW.replace(tzinfo=None)]
    with timezone.override(zone):
        for value in values:
            expected = date_filter(template_localtime(value), "c")
            assert template.render({"value": value}) == expected
            assert cj.isodate(value) == expected  # outside a render too
        assert template.render({"value": None}) == ""


def test_a_render_reads_the_language_once_and_a_render_inside_it_reads_it_anew():
    """A template global that renders another template in another language (an e-mail in
    its recipient's language) gets that language there, and the outer render keeps its own."""
    engine = engines["jinja2"]
    inner = engine.from_string('{{ _("Accepted answer") }} {{ value|naturaltime }}')

    def in_english():
        with translation.override("en"):
            return inner.render({"value": NOW - dt.timedelta(days=3)})

    outer = engine.from_string(
        '{{ _("Accepted answer") }} | {{ in_english() }} | {{ _("Accepted answer") }}'
    )
    with translation.override("ru"):
        html = outer.render({"in_english": in_english})
        assert translation.gettext("Accepted answer") in html
    before, middle, after = html.split(" | ")
    assert before == after == "Принятый ответ"
    assert middle.startswith("Accepted answer ") and "ago" in middle


def test_outside_a_render_each_call_reads_the_language():
    with translation.override("ru"):
        assert cj.translate("Accepted answer") == "Принятый ответ"
    with translation.override("en"):
        assert cj.translate("Accepted answer") == "Accepted answer"
        assert cj.naturaltime(timezone.now() - dt.timedelta(days=2)) == "2\xa0days ago"


def test_a_language_switched_inside_a_render_does_not_change_what_is_kept(monkeypatch):
    """Something a template calls switches the active language without a render of its own:
    the render goes on in its language, and what it keeps is in that language."""
    monkeypatch.setattr(cj, "_translated", {})
    monkeypatch.setattr(cj, "_phrases", {})

    def switch():
        translation.activate("ru")
        return ""

    template = engines["jinja2"].from_string(
        '{{ switch() }}{{ _("Accepted answer") }} {{ value|naturaltime }}'
    )
    value = timezone.now() - dt.timedelta(days=3, hours=2)
    with translation.override("en"):
        assert template.render({"switch": switch, "value": value}) == (
            "Accepted answer 3\xa0days, 2\xa0hours ago"
        )
    with translation.override("en"):
        assert cj.translate("Accepted answer") == "Accepted answer"
        assert cj.naturaltime(value) == "3\xa0days, 2\xa0hours ago"
    with translation.override("ru"):
        assert cj.translate("Accepted answer") == "Принятый ответ"


def test_calls_from_templates_pass_the_context_only_where_jinja2_would():
    """``CallingContext`` calls plain functions, methods, built-ins and macros at once; what
    asks for the context, the environment or the evaluation context still gets it."""
    from jinja2 import pass_context, pass_environment, pass_eval_context

    @pass_context
    def with_context(context, suffix):
        return f"{context['name']}{suffix}"

    @pass_environment
    def with_environment(environment):
        return type(environment).__name__

    @pass_eval_context
    def with_eval_context(eval_ctx):
        return str(eval_ctx.autoescape)

    class Greeter:
        def hello(self, who):
            return f"hello {who}"

        @pass_context
        def __call__(self, context):
            return f"called for {context['name']}"

    def stops():
        raise StopIteration

    template = engines["jinja2"].env.from_string(
        "{% macro m(x, y=2) %}{{ x }}+{{ y }}{% endmacro %}"
        "{{ with_context('!') }}|{{ with_environment() }}|{{ with_eval_context() }}|"
        "{{ greeter.hello(name) }}|{{ greeter() }}|{{ name.upper() }}|{{ len(name) }}|"
        "{{ m(1) }}|{{ m(1, y=3) }}|{{ stops() is undefined }}|"
        "{% for i in [1] %}{{ with_context(i) }}{% endfor %}"
    )
    html = template.render(
        name="ann",
        with_context=with_context,
        with_environment=with_environment,
        with_eval_context=with_eval_context,
        greeter=Greeter(),
        len=len,
        stops=stops,
    )
    assert html.split("|") == [
        "ann!",
        "Environment",
        "True",
        "hello ann",
        "called for ann",
        "ANN",
        "3",
        "1+2",
        "1+3",
        "True",
        "ann1",
    ]


@settings(max_examples=200, deadline=None)
@given(
    number=st.one_of(st.integers(-(10**12), 10**12), st.integers(0, 2000)),
    language=st.sampled_from(["en", "ru"]),
)
def test_intcomma_and_counted_words_say_what_django_says(number, language):
    from django.contrib.humanize.templatetags.humanize import intcomma

    from forum.labels import answers_heading, row_votes

    template = engines["jinja2"].from_string("{{ n|intcomma }}|{{ heading(n) }}|{{ votes(n) }}")
    with translation.override(language):
        expected = [
            str(intcomma(number)),
            translation.ngettext("%(counter)s answer", "%(counter)s answers", number)
            % {"counter": number},
            translation.ngettext(
                "<strong>%(counter)s</strong> vote", "<strong>%(counter)s</strong> votes", number
            )
            % {"counter": number},
        ]
        rendered = template.render({"n": number, "heading": answers_heading, "votes": row_votes})
        assert rendered.split("|") == expected
        assert cj.intcomma(number) == expected[0]  # outside a render too
    assert cj.intcomma("12345") == intcomma("12345") and cj.intcomma(None) == intcomma(None)


def test_values_are_escaped_as_jinja2_escapes_them():
    """``config.jinja2._escape`` (the templates' ``{{ … }}``) gives what markupsafe's escape
    gives, for every kind of value; markup comes back as it is."""
    from django.utils.safestring import SafeString
    from jinja2 import Environment
    from markupsafe import Markup

    class Html:
        def __html__(self):
            return "<em>html</em>"

        def __str__(self):
            return "<str>"

    class Text(str):
        pass

    values = [
        "<a href='x'>&\"",
        5,
        -3,
        10**30,
        True,
        None,
        2.5,
        Markup("<b>kept</b>"),
        SafeString("<i>safe</i>"),
        Html(),
        Text("<sub>"),
        [1, "<"],
    ]
    source = "{% for v in values %}[{{ v }}]{% endfor %}"
    ours = engines["jinja2"].env.from_string(source)
    assert ours.root_render_func.__globals__["escape"] is cj._escape
    plain = Environment(autoescape=True).from_string(source)
    assert ours.render(values=values) == plain.render(values=values)
    kept = Markup("<b>x</b>")
    assert cj._escape(kept) is kept
    assert type(cj._escape("<x>")) is Markup and type(cj._escape(3)) is Markup


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_any_text_is_escaped_as_markupsafe_escapes_it(text):
    from markupsafe import Markup, escape

    escaped = cj._escape(text)
    assert escaped == escape(text) and type(escaped) is Markup


MACROS = (
    "{% macro m(x, y=2, z='<z>') %}{{ x }}+{{ y }}+{{ z }}{% endmacro %}"
    "{% macro nil() %}-{% endmacro %}"
    "{% macro rest(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}"
    "{% macro calls(a) %}[{{ caller(a) }}]{% endmacro %}"
)
MACRO_CALLS = [
    "m(1)",
    "m(1, 3)",
    "m(1, 3, 4)",
    "m(1, y=3)",
    "m(1, z='<b>')",
    "m(x='<i>')",
    "m(x=1, y=2, z=3)",
    "m(y=5)",
    "m()",
    "nil()",
    "rest(1, 2, b=3)",
    "rest(a=1)",
    "m(1, 2, 3, 4)",
    "m(1, w=2)",
    "m(1, x=2)",
    "nil(1)",
    "nil(y=1)",
]


@pytest.mark.parametrize("call", MACRO_CALLS)
def test_macros_answer_as_jinja2s_do(call):
    """``QuickMacro`` (every macro of these templates) gives what Jinja2's ``Macro`` gives
    for any call, errors included, marked safe."""
    from jinja2 import Environment
    from markupsafe import Markup

    source = MACROS + "{{ " + call + " }}|{% set r = " + call + " %}{{ r.__class__.__name__ }}"
    ours = engines["jinja2"].env.from_string(source)
    plain = Environment(autoescape=True).from_string(source)
    try:
        expected = plain.render()
    except TypeError as error:
        with pytest.raises(TypeError, match=re.escape(str(error))):
            ours.render()
    else:
        assert ours.render() == expected
        assert expected.endswith("|Markup") or call in ("m(y=5)", "m()")
    assert ours.root_render_func.__globals__["Macro"] is cj.QuickMacro
    assert ours.root_render_func.__globals__["Markup"] is cj._markup
    assert type(cj._markup("<b>")) is Markup and cj._markup(Markup("<i>")) == "<i>"


def test_a_macro_with_a_caller_answers_as_jinja2s_does():
    from jinja2 import Environment

    source = MACROS + "{% call(v) calls('<a>') %}{{ v }}!{% endcall %}"
    ours = engines["jinja2"].env.from_string(source)
    assert ours.render() == Environment(autoescape=True).from_string(source).render()
    assert ours.render() == "[&lt;a&gt;!]"
