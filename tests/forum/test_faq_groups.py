"""The FAQ page's sections are one tag (forum_tags.faq_groups) that makes exactly the
markup the template's regroup and loops made, for visitors and for staff."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from forum.selectors.faq import faq_list_for
from forum.templatetags.forum_tags import faq_groups
from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db

OLD = (
    "{% load i18n %}"
    + '{% regroup entries by category as groups %}\n{% for group in groups %}\n<section class="faq-group card">\n  <h2 id="faq-{{ group.grouper.slug }}">{{ group.grouper.name }}</h2>\n  {% if group.grouper.description %}<p class="meta">{{ group.grouper.description }}</p>{% endif %}\n  <ul class="faq-list">\n  {% for entry in group.list %}\n    <li><a href="{{ entry.get_absolute_url }}">{{ entry.title }}</a>\n    {% if can_manage %}{% if not entry.is_published %} <span class="badge">{% translate "draft" %}</span>{% endif %}{% if entry.review_by and entry.review_by < today %} <span class="badge overdue">{% translate "outdated" %}</span>{% endif %} <a class="meta" href="{% url \'forum:faq-edit\' entry.pk %}">{% translate "edit" %}</a>{% endif %}</li>\n  {% endfor %}\n  </ul>\n</section>\n{% empty %}<p class="empty">{% translate "No FAQ entries yet." %}</p>\n{% endfor %}\n'  # noqa: E501 - the template, verbatim
)


@pytest.fixture
def entries(db):
    today = timezone.localdate()
    plain = CategoryFactory(name="Billing & <invoices>", description='Money "matters"')
    bare = CategoryFactory(name="Accounts", description="")
    FaqEntryFactory(category=plain, title="How do I pay <by card>?")
    FaqEntryFactory(category=plain, title="Draft answer", is_published=False)
    FaqEntryFactory(category=bare, title="Outdated one", review_by=today - timedelta(days=1))
    FaqEntryFactory(category=bare, title="Fresh one", review_by=today + timedelta(days=1))
    return today


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("staff", [False, True])
def test_sections_are_the_markup_the_template_made(entries, language, staff):
    viewer = MemberFactory(is_staff=staff)
    rows = list(faq_list_for(viewer))
    with translation.override(language):
        expected = Template(OLD).render(
            Context({"entries": rows, "can_manage": staff, "today": entries})
        )
        assert faq_groups(rows, staff, entries) == expected


def test_no_entries_say_so(db):
    expected = Template(OLD).render(Context({"entries": [], "can_manage": False}))
    assert faq_groups([], False, None) == expected
