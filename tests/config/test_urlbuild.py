"""``url_for`` gives exactly what ``reverse()`` gives (config/urlbuild.py)."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config.urlbuild import url_for


@pytest.mark.parametrize(
    "username", ["ann", "a.b+c@d-e_f", "Ёжик", "x y", "o'neil", "a%b", "a?b", "a#b", "a&b;c=d"]
)
def test_any_value_gives_what_reverse_gives(username):
    assert url_for("members:profile", username=username) == reverse(
        "members:profile", kwargs={"username": username}
    )


def test_numbers_slugs_words_and_positional_arguments():
    assert url_for("moderation:content-go", object_id=41, content_type_id=3) == reverse(
        "moderation:content-go", kwargs={"content_type_id": 3, "object_id": 41}
    )
    assert url_for("moderation:item-reject", pk=7) == "/moderation/items/7/reject/"
    assert url_for("forum:question-detail", pk=5, slug="how-to") == reverse(
        "forum:question-detail", kwargs={"pk": 5, "slug": "how-to"}
    )
    # a pattern that takes only some words: (?P<kind>question|answer|comment|faq)
    for kind in ("question", "answer", "comment"):
        assert url_for("forum:vote", kind, 9) == reverse("forum:vote", args=[kind, 9])
    assert url_for("forum:revisions", "comment", 12) == "/qa/comment/12/revisions/"


def test_values_a_pattern_refuses_still_raise():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        url_for("forum:vote", "idea", 9)
    with pytest.raises(NoReverseMatch):
        url_for("moderation:item-reject", pk=-1)
    with pytest.raises(NoReverseMatch):  # a value cannot add a path segment
        url_for("members:profile", username="a/b")


def test_the_script_prefix_is_respected():
    set_script_prefix("/community/")
    try:
        assert url_for("moderation:item-reject", pk=7) == "/community/moderation/items/7/reject/"
    finally:
        set_script_prefix("/")
    assert url_for("moderation:item-reject", pk=7) == "/moderation/items/7/reject/"


@override_settings(ROOT_URLCONF="config.urls")
def test_djangos_url_tag_gives_the_same_addresses():
    from django.template import Context, Template

    html = Template(
        "{% url 'forum:vote' 'answer' 3 %}|{% url 'members:profile' username=u %}"
        "|{% url 'forum:faq' as faq %}{{ faq }}"
    ).render(Context({"u": "a b"}))
    assert html == "/qa/answer/3/vote/|/members/a%20b/|/faq/"


@pytest.mark.parametrize(
    "slug", ["ошибка-при-настройке", "a b?c#d", "x%y", "tab\tnew", "日本", "~:@!$&", "ok-slug"]
)
def test_any_text_without_a_slash_is_quoted_as_reverse_quotes_it(slug):
    kwargs = {"pk": 5, "slug": slug}
    assert url_for("forum:question-detail", **kwargs) == reverse(
        "forum:question-detail", kwargs=kwargs
    )


def test_text_where_the_pattern_takes_only_a_slug_still_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        url_for("forum:tag", slug="ошибка")


@pytest.mark.django_db
def test_a_page_served_under_a_prefix_links_with_it_and_the_next_one_without(client):
    """Inside a request ``url_for`` reads the request's prefix once (``answering``, from
    config.site.SiteAddressMiddleware); the next request and code outside any request read
    their own. The prefix is set before each request as Django's WSGI handler sets it (the
    test client sets none)."""
    from django.core.cache import cache

    from tests.forum.factories import AnswerFactory

    answer = AnswerFactory()
    path = answer.question.get_absolute_url()
    author = answer.author.get_absolute_url()
    try:
        set_script_prefix("/community/")
        html = client.get(path).content.decode()
        assert f'href="/community{author}"' in html  # built by url_for, many times a page
        assert f'href="{author}"' not in html
        set_script_prefix("/")
        cache.clear()  # the visitors' page cache knows one prefix, the site's
        html = client.get(path).content.decode()
        assert f'href="{author}"' in html and f'href="/community{author}"' not in html
    finally:
        set_script_prefix("/")
    assert url_for("moderation:item-reject", pk=7) == "/moderation/items/7/reject/"


def test_answering_keeps_the_prefix_in_force_when_it_began():
    from config.urlbuild import answering

    set_script_prefix("/community/")
    try:
        with answering():
            set_script_prefix("/elsewhere/")  # a request's prefix is set before it is answered
            assert url_for("moderation:item-reject", pk=7).startswith("/community/")
        assert url_for("moderation:item-reject", pk=7).startswith("/elsewhere/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    "value", ["ann", "a.b", "Ёжик", "a b", "", 7, -7, True, "a/b", "ann\n"], ids=repr
)
def test_inside_a_request_any_value_after_a_simple_one_gives_what_reverse_gives(value):
    """Inside ``answering`` an address taken with simple values (ints, slugs) is kept as a
    format string for the next ones of the same types; a value it would not take goes the
    checked way."""
    from config.urlbuild import answering

    def expected(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return NoReverseMatch

    def ours(name, **kwargs):
        try:
            return url_for(name, **kwargs)
        except NoReverseMatch:
            return NoReverseMatch

    with answering():
        for _ in range(2):  # the second time from what the first one kept
            assert url_for("members:profile", username="ann") == "/members/ann/"
            assert ours("members:profile", username=value) == expected(
                "members:profile", username=value
            )
            assert url_for("moderation:item-reject", pk=5) == "/moderation/items/5/reject/"
            assert ours("moderation:item-reject", pk=value) == expected(
                "moderation:item-reject", pk=value
            )
            assert url_for("forum:vote", "answer", 3) == reverse("forum:vote", args=["answer", 3])
            assert url_for("forum:vote", "question", 3) == reverse(
                "forum:vote", args=["question", 3]
            )
            with pytest.raises(NoReverseMatch):  # a word the pattern does not take
                url_for("forum:vote", "idea", 3)
            with pytest.raises(NoReverseMatch):
                url_for("forum:vote", "answer", -3)
