"""Writes through the API go through the site's services: the same forms' validation, the
same permission checks, screening (held posts) and sanctions."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum.models import Answer, Comment, FaqEntry, Follow, Question
from ideas.models import Idea, IdeaStatusChange
from members.models import Member
from moderation.content import ModerationState
from moderation.models import QueueItem
from tests.api.conftest import API, api_as
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, FaqEntryFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db

QUESTION = {
    "title": "How do I export every invoice at once?",
    "body": "The export page lets me pick one month at a time only.",
    "category": "billing",
    "tags": ["export", "invoices"],
}
ANSWER = {"body": "Open Billing, then Export, and choose All months."}


def test_asking_creates_the_question_as_the_ask_page_would(member, category):
    response = api_as(member).post("/questions", QUESTION)
    assert response.status_code == 201
    question = Question.objects.get()
    assert response.json() == {
        "id": question.pk,
        "url": question.get_absolute_url(),
        "state": "published",
    }
    assert question.author == member and question.category == category
    assert sorted(t.slug for t in question.tags.all()) == ["export", "invoices"]
    assert Follow.objects.filter(member=member, target_id=question.pk).exists()


def test_a_new_members_first_post_is_held_for_a_moderator(category, settings):
    settings.VECHE_TRUST_NEW_HELD_POSTS = 3
    newcomer = MemberFactory(trust_level=Member.TrustLevel.NEW)
    response = api_as(newcomer).post("/questions", QUESTION)
    assert response.status_code == 201 and response.json()["state"] == "held"
    question = Question.objects.get()
    assert question.moderation_state == ModerationState.HELD
    assert QueueItem.objects.filter(target_id=question.pk, resolved_at=None).exists()
    assert api_as(None).get(f"/questions/{question.pk}").status_code == 404


@pytest.mark.parametrize(
    ("sanction", "reason"),
    [
        ("silenced_until", "You are silenced and cannot post until"),
        ("banned_at", "Your account is banned."),
        ("suspended_until", "Your account is suspended."),
    ],
)
def test_a_sanctioned_member_cannot_post_through_the_api(sanction, reason, member, category):
    question = QuestionFactory(category=category)
    api = api_as(member)
    value = timezone.now() + timedelta(days=2) if sanction != "banned_at" else timezone.now()
    Member.objects.filter(pk=member.pk).update(**{sanction: value})
    for path, data in [
        ("/questions", QUESTION),
        (f"/questions/{question.pk}/answers", ANSWER),
        (f"/questions/{question.pk}/comments", {"body": "Which plan are you on?"}),
        (
            "/ideas",
            {"title": "Export all invoices", "description": "Please.", "category": "billing"},
        ),
    ]:
        response = api.post(path, data)
        assert response.status_code == 403, path
        assert response.json()["detail"].startswith(reason)
    assert Question.objects.count() == 1
    assert not Answer.objects.exists() and not Comment.objects.exists()
    assert not Idea.objects.exists()


def test_rules_to_accept_again_are_said_without_markup(member, category, monkeypatch):
    monkeypatch.setattr(
        "moderation.services.screening.rules_reacceptance_needed", lambda member: True
    )
    response = api_as(member).post("/questions", QUESTION)
    assert response.status_code == 403
    assert "<a" not in response.json()["detail"]
    assert "accept the rules" in response.json()["detail"]


def test_invalid_input_gets_400_with_the_forms_messages(member, category):
    api = api_as(member)
    response = api.post("/questions", {**QUESTION, "title": "Short"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The input is not valid."
    assert "title" in body["errors"]
    response = api.post("/questions", {**QUESTION, "category": "lounge-or-nothing"})
    assert response.status_code == 400 and "category" in response.json()["errors"]
    response = api.post("/questions", {"title": 5})
    assert response.status_code == 400 and response.json()["errors"]
    broken = api.client.post(
        f"{API}/questions",
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert broken.status_code == 400
    nul = api.post("/questions", {**QUESTION, "body": "Null \x00 byte in the body of it"})
    assert nul.status_code == 400
    assert not Question.objects.exists()


def test_answer_comment_vote_accept_and_follow(member, other_member, category):
    question = QuestionFactory(category=category, author=member)
    asker, helper = api_as(member), api_as(other_member)
    created = helper.post(f"/questions/{question.pk}/answers", ANSWER)
    assert created.status_code == 201
    answer = Answer.objects.get(pk=created.json()["id"])
    assert answer.author == other_member
    assert helper.post(f"/answers/{answer.pk}/comments", {"body": "Tested it."}).status_code == 201
    assert asker.post(f"/questions/{question.pk}/comments", {"body": "Thanks!"}).status_code == 201
    assert asker.post(f"/answers/{answer.pk}/vote", {"value": 1}).json() == {"score": 1}
    own = helper.post(f"/answers/{answer.pk}/vote", {"value": 1})
    assert own.status_code == 403 and own.json()["detail"] == "You cannot vote on your own post."
    assert helper.post(f"/questions/{question.pk}/vote", {"value": 2}).status_code == 400
    refused = helper.post(f"/answers/{answer.pk}/accept")
    assert refused.status_code == 403
    assert asker.post(f"/answers/{answer.pk}/accept").status_code == 200
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert helper.post(f"/questions/{question.pk}/follow").status_code == 200
    assert Follow.objects.filter(member=other_member, target_id=question.pk).exists()
    assert helper.delete(f"/questions/{question.pk}/follow").status_code == 200
    assert not Follow.objects.filter(member=other_member, target_id=question.pk).exists()
    detail = asker.get(f"/questions/{question.pk}").json()
    assert detail["is_solved"] and detail["answers"][0]["is_accepted"]
    assert len(detail["comments"]) == 1 and len(detail["answers"][0]["comments"]) == 1


def test_writes_on_what_the_member_cannot_see_are_404_or_403(member, private_category):
    held = QuestionFactory(moderation_state=ModerationState.HELD)
    lounge = QuestionFactory(category=private_category)
    api = api_as(member)
    assert api.post(f"/questions/{held.pk}/answers", ANSWER).status_code == 404
    assert api.post(f"/questions/{lounge.pk}/answers", ANSWER).status_code == 403
    assert api.post("/questions/999999/vote", {"value": 1}).status_code == 404
    assert not Answer.objects.exists()


def test_a_visitor_is_told_to_authenticate(category):
    question = QuestionFactory(category=category)
    response = api_as(None).post(f"/questions/{question.pk}/answers", ANSWER)
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_the_sites_session_needs_its_csrf_token(member, category):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    question = QuestionFactory(category=category)
    url = f"{API}/questions/{question.pk}/answers"
    refused = client.post(url, ANSWER, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/settings/api-tokens/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url, ANSWER, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


def test_ideas_post_vote_and_comment(member, other_member, category):
    api = api_as(member)
    created = api.post(
        "/ideas",
        {
            "title": "Export every invoice at once",
            "description": "One click for the whole year.",
            "category": "billing",
        },
    )
    assert created.status_code == 201
    idea = Idea.objects.get()
    voter = api_as(other_member)
    assert voter.post(f"/ideas/{idea.pk}/vote").json() == {"voted": True, "vote_count": 1}
    assert voter.delete(f"/ideas/{idea.pk}/vote").json() == {"voted": False, "vote_count": 0}
    assert voter.post(f"/ideas/{idea.pk}/comments", {"body": "Yes please"}).status_code == 201
    assert voter.post(f"/ideas/{idea.pk}/follow").status_code == 200
    assert Follow.objects.filter(member=other_member, target_id=idea.pk).exists()
    assert voter.delete(f"/ideas/{idea.pk}/follow").status_code == 200
    assert not Follow.objects.filter(member=other_member, target_id=idea.pk).exists()
    detail = api.get(f"/ideas/{idea.pk}").json()
    assert detail["title"] == "Export every invoice at once"
    assert [c["body_html"].strip() for c in detail["comments"]] == ["<p>Yes please</p>"]


def test_only_staff_with_the_admin_scope_change_an_idea_status(member, staff, category):
    idea = IdeaFactory(category=category)
    change = {"status": "planned", "note": "On the roadmap for spring."}
    assert api_as(member).post(f"/ideas/{idea.pk}/status", change).status_code == 403
    assert (
        api_as(staff, ["read", "write"]).post(f"/ideas/{idea.pk}/status", change).status_code == 403
    )
    admin = api_as(staff, ["read", "admin"])
    assert (
        admin.post(f"/ideas/{idea.pk}/status", {"status": "bogus", "note": "x"}).status_code == 400
    )
    assert admin.post(f"/ideas/{idea.pk}/status", change).status_code == 200
    assert IdeaStatusChange.objects.get().to_status == "planned"
    history = admin.get(f"/ideas/{idea.pk}").json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [("new", "planned")]


def test_staff_publish_faq_entries(member, staff, category):
    entry = FaqEntryFactory(category=category, is_published=False)
    assert api_as(member, ["read", "write"]).post(
        f"/faq/{entry.pk}/publish", {"is_published": True}
    ).status_code in (403, 404)
    response = api_as(staff, ["read", "admin"]).post(
        f"/faq/{entry.pk}/publish", {"is_published": True}
    )
    assert response.status_code == 200 and response.json()["is_published"] is True
    assert FaqEntry.objects.get().is_published
    assert any(e["id"] == entry.pk for e in api_as(None).get("/faq").json()["results"])


def test_moderators_decide_queue_items(moderator, member, category, settings):
    settings.VECHE_TRUST_NEW_HELD_POSTS = 3
    newcomer = MemberFactory(trust_level=Member.TrustLevel.NEW)
    api_as(newcomer).post("/questions", QUESTION)
    second = {**QUESTION, "title": "How do I export only paid invoices?"}
    api_as(newcomer).post("/questions", second)
    held, other = Question.objects.order_by("pk")
    mod = api_as(moderator, ["read", "moderate"])
    queue = mod.get("/moderation/queue", {"queue": "approval"}).json()["results"]
    items = {row["target"]["title"]: row["id"] for row in queue}
    assert set(items) >= {held.title, other.title}
    assert (
        api_as(member, ["read", "write"])
        .post(f"/moderation/queue/{items[held.title]}/approve")
        .status_code
        == 403
    )
    assert mod.post(f"/moderation/queue/{items[held.title]}/approve").status_code == 200
    held.refresh_from_db()
    assert held.moderation_state == ModerationState.PUBLISHED
    no_rule = mod.post(f"/moderation/queue/{items[other.title]}/reject", {"message": "no"})
    assert no_rule.status_code == 400
    rule = current_rule(1)
    rejected = mod.post(
        f"/moderation/queue/{items[other.title]}/reject", {"rule": rule.pk, "message": "Spam"}
    )
    assert rejected.status_code == 200
    other.refresh_from_db()
    assert other.moderation_state == ModerationState.REJECTED
    assert mod.post(f"/moderation/queue/{items[held.title]}/approve").status_code == 404


def test_answers_of_others_cannot_be_edited_into_existence(member, category):
    # The answer's question is deleted: commenting is refused with the page's reason.
    question = QuestionFactory(category=category, deleted_at=timezone.now())
    answer = AnswerFactory(question=question)
    response = api_as(member).post(f"/answers/{answer.pk}/comments", {"body": "Hello there"})
    assert response.status_code == 404


def test_unknown_addresses_and_methods_answer_in_json(member):
    api = api_as(member)
    missing = api.get("/no-such-thing")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    assert api.get("/questions/12345").status_code == 404
    assert api.get("/questions/12345").json() == {"detail": "Not found."}
    assert api.get("/members/nobody-here").status_code == 404
    assert api.delete("/questions").status_code == 405
    assert api.get("/questions", {"cursor": "not a cursor"}).status_code == 400
    assert api.get("/questions", {"limit": 1000}).status_code == 400
    assert api.get("/questions", {"status": "weird"}).status_code == 400


def test_hostile_cursors_and_ids_are_400_or_404(member):
    api = api_as(member)
    for values in ([10**30, 10**30], ["2026-13-45", 1], [[1], 2], [None, 1], "x", [1]):
        cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
        assert api.get("/questions", {"cursor": cursor}).status_code == 400, values
    assert api.get(f"/questions/{10**30}").status_code == 404
    assert api.post(f"/questions/{10**30}/vote", {"value": 1}).status_code == 404
    assert api.get("/tags", {"cursor": "%%%"}).status_code == 400
