"""The FAQ page's sections (templates/jinja2/forum/faq_groups.html): one per category in
order, entries escaped, drafts, outdated marks and edit links for staff only, in both
languages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import MemberFactory, logged_in
from tests.forum.factories import CategoryFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(db):
    today = timezone.localdate()
    plain = CategoryFactory(name="Billing & <invoices>", description='Money "matters"')
    bare = CategoryFactory(name="Accounts", description="")
    FaqEntryFactory(category=plain, title="How do I pay <by card>?")
    FaqEntryFactory(category=plain, title="Draft answer", is_published=False)
    FaqEntryFactory(category=bare, title="Outdated one", review_by=today - timedelta(days=1))
    FaqEntryFactory(category=bare, title="Fresh one", review_by=today + timedelta(days=1))
    return plain, bare


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("staff", [False, True])
def test_sections_per_category_with_staff_marks(entries, language, staff):
    plain, bare = entries
    client = logged_in(MemberFactory(is_staff=staff, trust_level=3)) if staff else Client()
    html = client.get("/faq/", HTTP_ACCEPT_LANGUAGE=language, follow=True).content.decode()
    assert f'<h2 id="faq-{plain.slug}">Billing &amp; &lt;invoices&gt;</h2>' in html
    assert '<p class="meta">Money &#34;matters&#34;</p>' in html
    assert "How do I pay &lt;by card&gt;?" in html and "<by card>" not in html
    assert ("Draft answer" in html) is staff
    assert ('class="badge overdue"' in html) is staff
    assert ("/edit/" in html) is staff


def test_no_entries_say_so(db):
    html = Client().get("/faq/").content.decode()
    assert '<p class="empty">No FAQ entries yet.</p>' in html


def _faq_queries(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/faq/").content.decode()
    return html, [q["sql"] for q in captured.captured_queries if "forum_faqentry" in q["sql"]]


def test_members_share_the_sections_by_the_categories_they_see_and_see_changes_at_once(db):
    """Every member who sees the same categories gets the same sections, rendered once
    (config.cache.remember under ``faq``); an ambassador's include the private category; a new
    or unpublished entry shows so at once."""
    public = CategoryFactory(name="Billing")
    private = CategoryFactory(name="Beta plan", ambassadors_only=True)
    FaqEntryFactory(category=public, title="How do I pay by card?")
    FaqEntryFactory(category=private, title="When does the beta open?")
    member, other = logged_in(MemberFactory()), logged_in(MemberFactory())
    ambassador = logged_in(MemberFactory(badge="ambassador"))
    html, queries = _faq_queries(member)
    assert "How do I pay by card?" in html and "When does the beta open?" not in html
    assert queries  # loaded once…
    html, queries = _faq_queries(other)
    assert "How do I pay by card?" in html and not queries  # …and shared by the next member
    assert "When does the beta open?" in ambassador.get("/faq/").content.decode()
    assert "When does the beta open?" not in member.get("/faq/").content.decode()
    added = FaqEntryFactory(category=public, title="Can I get a refund?")
    assert "Can I get a refund?" in member.get("/faq/").content.decode()
    added.is_published = False
    added.save()
    assert "Can I get a refund?" not in member.get("/faq/").content.decode()
    assert (
        "Can I get a refund?"
        in logged_in(MemberFactory(is_staff=True)).get("/faq/").content.decode()
    )
