import pytest
from django.urls import reverse

from moderation.content import ModerationState
from tests.forum.factories import CategoryFactory, FaqEntryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_rss_and_atom_feeds_list_new_public_questions(client):
    QuestionFactory(title="Public question in the feed")
    QuestionFactory(title="Held question not in the feed", moderation_state=ModerationState.HELD)
    rss = client.get(reverse("forum:feed-rss"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "Public question in the feed" in body and "Held question" not in body
    atom = client.get(reverse("forum:feed-atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Public question in the feed" in atom.content.decode()


def test_tag_and_category_feeds(client):
    tag = TagFactory(slug="exports")
    category = CategoryFactory(slug="mobile")
    QuestionFactory(title="Tagged exports question", tags=[tag])
    QuestionFactory(title="Mobile category question", category=category)
    tagged = client.get(reverse("forum:feed-tag", args=["exports"])).content.decode()
    assert "Tagged exports question" in tagged and "Mobile category" not in tagged
    in_category = client.get(reverse("forum:feed-category", args=["mobile"])).content.decode()
    assert "Mobile category question" in in_category and "Tagged exports" not in in_category
    assert client.get(reverse("forum:feed-tag", args=["none"])).status_code == 404


def test_sitemap_lists_public_questions_and_faq(client, private_category):
    public = QuestionFactory()
    hidden = QuestionFactory(category=private_category)
    entry = FaqEntryFactory()
    response = client.get(reverse("forum:sitemap"))
    body = response.content.decode()
    assert response.status_code == 200
    assert public.get_absolute_url() in body and entry.get_absolute_url() in body
    assert hidden.get_absolute_url() not in body
