"""The FAQ page's sections (templates/jinja2/forum/faq_groups.html): one per category in
order, entries escaped, drafts, outdated marks and edit links for staff only, in both
languages."""

from datetime import timedelta

import pytest
from django.test import Client
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
