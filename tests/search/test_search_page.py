"""The search page ranks every source first and builds (links, excerpts) only the hits it
shows: the same hits, in the same order, with the same excerpts as a full ``search()``."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Answer, Question
from ideas.models import Idea
from search import ranking, selectors, sources, vectors
from tests.forum.factories import (
    AnswerFactory,
    CategoryFactory,
    FaqEntryFactory,
    QuestionFactory,
)
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def widgets():
    """50 hits for "widget" of every kind, ranked differently (how often the word occurs,
    in the title or not, solved or not)."""
    category = CategoryFactory()
    for n in range(18):
        question = QuestionFactory(
            category=category,
            title=f"Widget setup number {n}",
            body="The widget is slow. " * (n % 4 + 1),
        )
        if n % 3 == 0:
            answer = AnswerFactory(question=question, body="Restart the widget.")
            Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
            Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    other = QuestionFactory(category=category, title="Dashboard colours", body="Blue.")
    for n in range(16):
        AnswerFactory(
            question=other, body=f"Widget answer {n}: " + "widget settings " * (n % 3 + 1)
        )
    for n in range(5):
        FaqEntryFactory(
            category=category,
            title=f"Widget FAQ {n}",
            body="Widgets are configured in Settings. " * (n + 1),
        )
    for n in range(5):
        IdeaFactory(title=f"Better widget {n}", description="A widget for the dashboard.")
    vectors.vector_update(Idea.objects.all(), body="description")


def _shown(html: str) -> list[tuple[str, str]]:
    """(link, excerpt) of every result row on a rendered search page."""
    return re.findall(r'<a href="([^"]+)">[^<]*</a>\s*<p class="excerpt">(.*?)</p>', html)


def test_every_page_shows_the_hits_of_a_full_search_in_order_with_excerpts(widgets):
    everything = selectors.search("widget", viewer=None, limit=200)
    assert len(everything) == 50
    for number in (1, 2, 3):
        page = selectors.search_page("widget", viewer=None, page=str(number))
        expected = everything[20 * (number - 1) : 20 * number]
        assert page.number == number
        assert [(h.kind, h.url, h.rank) for h in page.object_list] == [
            (h.kind, h.url, h.rank) for h in expected
        ]
        assert [str(h.excerpt) for h in page.object_list] == [str(h.excerpt) for h in expected]
        assert all("<mark>" in str(h.excerpt) for h in page.object_list)


def test_page_two_of_the_search_page_has_an_excerpt_for_every_hit(client, widgets):
    html = client.get(reverse("search:search"), {"q": "widget", "page": 2}).content.decode()
    shown = _shown(html)
    assert len(shown) == 20
    assert all("<mark>" in excerpt for _link, excerpt in shown)
    everything = selectors.search("widget", viewer=None, limit=60)
    assert [link for link, _excerpt in shown] == [h.url for h in everything[20:40]]


@pytest.mark.parametrize("page", ["0", "-3", "99"])
def test_out_of_range_pages_show_the_last_page_with_excerpts(widgets, page):
    shown = selectors.search_page("widget", viewer=None, page=page)
    assert shown.number == shown.paginator.num_pages
    assert shown.object_list
    assert all("<mark>" in str(h.excerpt) for h in shown.object_list)


def test_a_page_that_is_no_number_shows_the_first(widgets):
    shown = selectors.search_page("widget", viewer=None, page="two")
    assert shown.number == 1
    assert [h.url for h in shown.object_list] == [
        h.url for h in selectors.search("widget", viewer=None, limit=20)
    ]


def test_the_type_filter_pages_through_one_source(widgets):
    shown = selectors.search_page("widget", viewer=None, kinds=["answer"], page="1")
    assert {h.kind for h in shown.object_list} == {"answer"}
    assert shown.paginator.count == 22  # 16 answers and the 6 accepted ones


def test_a_search_of_the_same_shape_finds_its_own_words(widgets):
    assert selectors.search("widget", viewer=None, kinds=["question"])
    # The same query shape again (PostgreSQL reuses the compiled SQL) with other words.
    hits = selectors.search("dashboard colours", viewer=None, kinds=["question"])
    assert [h.title for h in hits] == ["Dashboard colours"]
    assert selectors.search("nonexistentword", viewer=None, kinds=["question"]) == []


def test_hits_in_ambassador_categories_stay_hidden_from_visitors_after_a_staff_search(staff):
    QuestionFactory(category=CategoryFactory(ambassadors_only=True), title="Secret widget plan")
    QuestionFactory(title="Public widget plan")
    assert {h.title for h in selectors.search("widget plan", viewer=staff)} == {
        "Secret widget plan",
        "Public widget plan",
    }
    assert [h.title for h in selectors.search("widget plan", viewer=None)] == ["Public widget plan"]


OLD_HIT_TEMPLATE = """{% load i18n %}{% for hit in hits %}
  <li class="search-hit search-hit-{{ hit.kind }}">
    <span class="badge">{{ hit.kind_label }}</span>{% if hit.solved and hit.kind == "question" %} \
<span class="badge badge-solved">{% translate "Solved" %}</span>{% endif %}
    <a href="{{ hit.url }}">{{ hit.title }}</a>
    <p class="excerpt">{{ hit.excerpt }}</p>
  </li>
{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "ru"])
def test_result_items_are_the_markup_the_template_made(language):
    from django.template import Context, Template
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    hits = [
        sources.SearchHit(
            kind="question",
            kind_label=gettext_lazy("Question"),
            title='Tom & "Jerry" <script>',
            url="/questions/1/tom/?a=1&b=2",
            excerpt=mark_safe("A <mark>widget</mark> &amp; more"),
            rank=2.0,
            created_at=None,
            solved=True,
        ),
        sources.SearchHit(
            kind="answer",
            kind_label="Answer",
            title="It's <b>bold</b>",
            url="/questions/2/x/#answer-3",
            excerpt=mark_safe(""),
            rank=1.0,
            created_at=None,
            solved=True,
        ),
    ]
    with translation.override(language):
        expected = Template(OLD_HIT_TEMPLATE).render(Context({"hits": hits}))
        from tests.html import squeezed

        html = render_to_string("search/hits.html", {"hits": hits}, using="jinja2")
        assert squeezed(html) == squeezed(expected)


def test_the_type_filter_keeps_the_chosen_kind(client):
    html = client.get(reverse("search:search"), {"q": "widget", "type": "faq"}).content.decode()
    assert '<select name="type" id="id_type">' in html
    assert '<option value="faq" selected>FAQ</option>' in html
    assert '<option value="">Everything</option>' in html

    def type_select(page: str) -> str:
        start = page.index('<select name="type"')
        return page[start : page.index("</select>", start)]

    assert type_select(html).count(" selected>") == 1
    bad = client.get(reverse("search:search"), {"q": "widget", "type": "nope"})
    assert bad.status_code == 400
    assert '<option value="" selected>Everything</option>' in type_select(bad.content.decode())


@pytest.mark.postgres
def test_each_source_ranks_only_its_newest_candidates(monkeypatch):
    monkeypatch.setattr(ranking, "CANDIDATES", 3)
    monkeypatch.setattr(ranking, "_COMPILED", {})
    category = CategoryFactory()
    # The oldest question is the best match (the word in its title, many times in its
    # body), but four newer ones match too: only the newest three are ranked.
    best = QuestionFactory(category=category, title="Gizmo gizmo gizmo", body="gizmo " * 30)
    newer = [
        QuestionFactory(
            category=category, title=f"Question {n}", body=f"Mentions a gizmo once, number {n}"
        )
        for n in range(4)
    ]
    urls = [hit.url for hit in selectors.search("gizmo", viewer=None, kinds=["question"])]
    assert best.get_absolute_url() not in urls
    assert sorted(urls) == sorted(q.get_absolute_url() for q in newer[1:])


@pytest.mark.postgres
@pytest.mark.parametrize("text", ["widget", "widget slow", "setup", "nothingmatchesthis"])
def test_rare_words_are_found_through_the_index_with_the_same_results(widgets, monkeypatch, text):
    """A large table asks the planner how many rows may match; few matches are collected
    through the GIN index instead of walking the id index. Both give the same hits."""
    monkeypatch.setattr(ranking, "_COMPILED", {})
    monkeypatch.setattr(ranking, "_SPARSE", {})
    walked = [(h.url, h.rank, str(h.excerpt)) for h in selectors.search(text, viewer=None)]
    monkeypatch.setattr(ranking, "_table_rows", lambda model, db: 1e6)  # all count as large
    monkeypatch.setattr(ranking, "_COMPILED", {})
    with CaptureQueriesContext(connection) as captured:
        indexed = [(h.url, h.rank, str(h.excerpt)) for h in selectors.search(text, viewer=None)]
    assert indexed == walked
    plans = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("EXPLAIN")]
    assert plans  # the planner was asked
    assert any('"id" + 0' in q["sql"] for q in captured.captured_queries)


def test_nothing_found_is_a_sentence_not_a_numbered_item(client, db):
    html = client.get("/search/", {"q": "zzzqqqxxx"}).content.decode()
    assert '<p class="empty">Nothing found.' in html
    assert '<ol class="search-results">' not in html
