import pytest
from django.urls import reverse

from forum.models import Question
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_pages_render(member_client, member, other_member):
    cat = CategoryFactory(slug="billing")
    r = member_client.post(reverse("forum:question-ask"), {
        "title": "How do I change the invoice address?", "body": "Where is the invoice address setting?",
        "category": "billing", "tags": "billing, invoices"})
    assert r.status_code == 302, r.content.decode()[:3000]
    q = Question.objects.get()
    AnswerFactory(question=q)
    for url in [reverse("forum:question-list"), q.get_absolute_url(), reverse("forum:faq"),
                reverse("forum:search") + "?q=invoice", reverse("forum:tag", args=["billing"]),
                reverse("forum:category", args=["billing"]), reverse("forum:question-ask"),
                reverse("forum:question-similar") + "?title=invoice", reverse("forum:feed-rss"),
                reverse("forum:feed-atom"), reverse("forum:sitemap"), "/",
                reverse("members:profile", args=[member.username])]:
        resp = member_client.get(url)
        assert resp.status_code == 200, (url, resp.content.decode()[:3000])
