"""Question list rows (templates/jinja2/forum/question_rows.html) make the markup the Django
row template made (up to white space), in every language, for every state of a question."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from forum.models import Question
from moderation.content import ModerationState
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory
from tests.html import squeezed

pytestmark = pytest.mark.django_db

OLD_ROW = '{% load i18n humanize members_tags %}<article class="post-row question-row{% if question.is_solved %} solved{% endif %}" id="question-{{ question.pk }}">\n  <div class="post-stats">\n    <span title="{% translate \'Votes\' %}">{% blocktranslate count counter=question.score %}<strong>{{ counter }}</strong> vote{% plural %}<strong>{{ counter }}</strong> votes{% endblocktranslate %}</span>\n    <span class="{% if question.is_solved %}answered-solved{% elif question.answer_count %}answered{% endif %}">{% blocktranslate count counter=question.answer_count %}<strong>{{ counter }}</strong> answer{% plural %}<strong>{{ counter }}</strong> answers{% endblocktranslate %}</span>\n    <span>{{ question.view_count|intcomma }} {% translate "views" %}</span>\n  </div>\n  <div>\n    <h2 class="post-title"><a href="{{ question.get_absolute_url }}">{{ question.title }}</a>{% if question.is_solved %} <span class="badge badge-solved">{% translate "Solved" %}</span>{% endif %}{% if not question.is_published %} <span class="badge badge-held">{% translate "awaiting approval" %}</span>{% endif %}{% if question.is_closed %} <span class="badge">{% translate "closed" %}</span>{% endif %}</h2>\n    <p class="meta">\n      <a href="{{ question.category.get_absolute_url }}">{{ question.category.name }}</a>\n      {% for tag in question.tags.all %}<a class="tag" href="{{ tag.get_absolute_url }}">{{ tag.name }}</a>{% endfor %}\n      · {% avatar question.author "small" %} {% member_link question.author %} · <time datetime="{{ question.created_at|date:\'c\' }}">{{ question.created_at|naturaltime }}</time>\n    </p>\n  </div>\n</article>\n'  # noqa: E501 - the template, verbatim (but for the title's level: <h2> since the rows sit right under the page's <h1>)


def old_rows(questions) -> str:
    from django.template import engines

    engine = engines["django"].engine
    row = Template(OLD_ROW, engine=engine)
    return "".join(row.render(Context({"question": q})) + "\n" for q in questions)


@pytest.fixture
def questions(db):
    tags = [TagFactory(name="sso & <saml>"), TagFactory(name="billing")]
    plain = QuestionFactory(title='Export "fails" <sometimes> & why', score=-2)
    plain.tags.set(tags)
    solved = QuestionFactory(score=1234, author=MemberFactory(badge="ambassador"))
    answer = AnswerFactory(question=solved)
    Question.objects.filter(pk=solved.pk).update(
        accepted_answer=answer, view_count=1234567, answer_count=1
    )
    held = QuestionFactory(
        moderation_state=ModerationState.HELD, author=MemberFactory(is_staff=True)
    )
    closed = QuestionFactory(score=1)
    Question.objects.filter(pk=closed.pk).update(duplicate_of=plain)
    return list(
        Question.objects.filter(pk__in=[plain.pk, solved.pk, held.pk, closed.pk])
        .select_related("author", "category")
        .prefetch_related("tags")
        .order_by("pk")
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_rows_are_the_markup_the_template_made(questions, language):
    with translation.override(language):
        expected = old_rows(questions)
        rows = render_to_string("forum/question_rows.html", {"rows": questions}, using="jinja2")
        assert squeezed(rows) == squeezed(expected)
