"""The API shows each viewer exactly what the pages show them: held, hidden, deleted and
ambassador-only posts, private community mode (issue 16's visibility matrix)."""

import pytest
from django.test import Client
from django.utils import timezone

from forum.models import Question
from ideas.models import Idea
from members.models import CommunitySettings
from moderation.content import ModerationState
from tests.api.conftest import api_as
from tests.factories import MemberFactory, ModeratorFactory
from tests.forum.factories import (
    AnswerFactory,
    CommentFactory,
    FaqEntryFactory,
    QuestionFactory,
)
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "author", "ambassador", "moderator", "staff"]

# Which questions each role sees, on the pages and so through the API.
EXPECTED = {
    "visitor": {"public"},
    "member": {"public"},
    "author": {"public", "held"},
    "ambassador": {"public", "lounge"},
    "moderator": {"public", "held", "hidden", "deleted"},
    "staff": {"public", "held", "hidden", "deleted", "lounge"},
}


@pytest.fixture
def people(db):
    return {
        "visitor": None,
        "member": MemberFactory(),
        "author": MemberFactory(),
        "ambassador": MemberFactory(badge="ambassador"),
        "moderator": ModeratorFactory(),
        "staff": MemberFactory(is_staff=True, trust_level=3),
    }


@pytest.fixture
def world(people, category, private_category):
    author = people["author"]
    return {
        "public": QuestionFactory(title="Public question about exports", category=category),
        "held": QuestionFactory(
            title="Held question about exports",
            author=author,
            category=category,
            moderation_state=ModerationState.HELD,
        ),
        "hidden": QuestionFactory(
            title="Hidden question about exports",
            category=category,
            moderation_state=ModerationState.HIDDEN,
        ),
        "deleted": QuestionFactory(
            title="Deleted question about exports", category=category, deleted_at=timezone.now()
        ),
        "lounge": QuestionFactory(title="Lounge question about exports", category=private_category),
    }


def _page_client(member) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_question_list_holds_what_the_list_page_holds(role, people, world):
    member = people[role]
    titles = {key: q.title for key, q in world.items()}
    response = api_as(member).get("/questions", {"limit": 100})
    assert response.status_code == 200
    shown = {row["title"] for row in response.json()["results"]}
    assert shown == {titles[key] for key in EXPECTED[role]}
    page = _page_client(member).get("/questions/").content.decode()
    for title in titles.values():
        assert (title in shown) == (title in page), title


@pytest.mark.parametrize("role", ROLES)
def test_a_question_answers_as_its_page_does(role, people, world):
    member = people[role]
    api = api_as(member)
    page = _page_client(member)
    for key, question in world.items():
        api_status = api.get(f"/questions/{question.pk}").status_code
        page_status = page.get(question.get_absolute_url()).status_code
        assert api_status == page_status, (key, api_status, page_status)
        assert (api_status == 200) == (key in EXPECTED[role])


@pytest.mark.parametrize("role", ROLES)
def test_held_and_hidden_answers_and_comments_show_only_to_who_may_see_them(role, people, category):
    author = people["author"]
    question = QuestionFactory(category=category)
    AnswerFactory(question=question, body="Visible answer text here")
    AnswerFactory(
        question=question, author=author, body="Held answer text", moderation_state="held"
    )
    AnswerFactory(question=question, body="Hidden answer text", moderation_state="hidden")
    CommentFactory(target=question, author=author, body="Held comment", moderation_state="held")
    CommentFactory(target=question, body="Deleted comment", deleted_at=timezone.now())
    data = api_as(people[role]).get(f"/questions/{question.pk}").json()
    answers = {a["body"] for a in data["answers"]}
    comments = {c["body_html"] for c in data["comments"]}
    sees_held = role in ("author", "moderator", "staff")
    sees_hidden = role in ("moderator", "staff")
    assert "Visible answer text here" in answers
    assert ("Held answer text" in answers) == sees_held
    assert ("Hidden answer text" in answers) == sees_hidden
    assert any("Held comment" in c for c in comments) == sees_held
    assert any("Deleted comment" in c for c in comments) == sees_hidden


@pytest.mark.parametrize("role", ROLES)
def test_ideas_follow_the_board(role, people, category, private_category):
    author = people["author"]
    IdeaFactory(title="A public idea for the board", category=category)
    IdeaFactory(
        title="A held idea for the board", category=category, author=author, moderation_state="held"
    )
    IdeaFactory(title="A lounge idea for the board", category=private_category)
    api = api_as(people[role])
    listed = {row["title"] for row in api.get("/ideas").json()["results"]}
    page = _page_client(people[role]).get("/ideas/").content.decode()
    for idea in Idea.objects.all():
        assert (idea.title in listed) == (idea.title in page), idea.title
        opened = api.get(f"/ideas/{idea.pk}").status_code
        assert opened == _page_client(people[role]).get(idea.get_absolute_url()).status_code
    assert ("A lounge idea for the board" in listed) == (role in ("ambassador", "staff"))


@pytest.mark.parametrize("role", ROLES)
def test_faq_drafts_and_lounge_entries(role, people, category, private_category):
    FaqEntryFactory(title="Published entry", category=category)
    draft = FaqEntryFactory(title="Draft entry", category=category, is_published=False)
    FaqEntryFactory(title="Lounge entry", category=private_category)
    api = api_as(people[role])
    listed = {row["title"] for row in api.get("/faq").json()["results"]}
    assert "Published entry" in listed
    assert ("Draft entry" in listed) == (role == "staff")
    assert ("Lounge entry" in listed) == (role in ("ambassador", "staff"))
    assert api.get(f"/faq/{draft.pk}").status_code == (200 if role == "staff" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_categories_and_search_hide_the_lounge(role, people, world):
    api = api_as(people[role])
    slugs = {c["slug"] for c in api.get("/categories").json()}
    assert ("lounge" in slugs) == (role in ("ambassador", "staff"))
    hits = {h["title"] for h in api.get("/search", {"q": "exports"}).json()["results"]}
    assert ("Lounge question about exports" in hits) == (role in ("ambassador", "staff"))
    assert "Held question about exports" not in hits or role in ("author", "moderator", "staff")
    assert "Public question about exports" in hits


def test_a_private_community_refuses_visitors_and_answers_members(member, world):
    CommunitySettings.objects.update_or_create(pk=1, defaults={"private": True})
    response = api_as(None).get("/questions")
    assert response.status_code == 401
    assert "private" in response.json()["detail"]
    assert api_as(None).get(f"/questions/{world['public'].pk}").status_code == 401
    assert api_as(member).get("/questions").status_code == 200
    session = Client()
    session.force_login(member)
    assert session.get("/api/v1/questions").status_code == 200


def test_a_member_in_the_lounge_gets_the_pages_403(member, world):
    response = api_as(member).get(f"/questions/{world['lounge'].pk}")
    assert response.status_code == 403
    assert response.json() == {"detail": "This category is open to ambassadors only."}
    assert Question.objects.filter(pk=world["lounge"].pk).exists()
