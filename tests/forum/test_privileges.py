"""The privileges members earn by trust level (docs/privileges.md): per level and role, below
it a 403 and nothing stored changes; at it the action works and the audit log has it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from forum.models import (
    Answer,
    CloseVote,
    Question,
    ReputationEvent,
    Revision,
    SuggestedEdit,
    Tag,
)
from members.models import CommunitySettings, Member
from moderation import services as moderation
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, QueueItem
from tests.factories import MemberFactory, ModeratorFactory, logged_in
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

NEW, BASIC, REGULAR, LEADER = 0, 1, 2, 3
ROLES = ["anonymous", "new", "basic", "regular", "leader", "moderator", "staff"]


def viewer(role: str):
    """A test client for ``role`` (and the member, None for a visitor)."""
    from django.test import Client

    if role == "anonymous":
        return Client(), None
    if role == "moderator":
        member = ModeratorFactory()
    elif role == "staff":
        member = MemberFactory(is_staff=True, trust_level=LEADER)
    else:
        member = MemberFactory(trust_level=["new", "basic", "regular", "leader"].index(role))
    return logged_in(member), member


def actions() -> list[str]:
    return list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True))


def question_snapshot(question: Question) -> tuple:
    question.refresh_from_db()
    return (
        question.title,
        question.body,
        sorted(t.name for t in question.tags.all()),
        question.closed_at,
        Revision.objects.count(),
    )


# --- retagging ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("new", False),
        ("basic", True),
        ("regular", True),
        ("leader", True),
        ("moderator", True),
        ("staff", True),
    ],
)
def test_retag_per_role(role, allowed):
    question = QuestionFactory(tags=[TagFactory(name="billing", slug="billing")])
    client, _member = viewer(role)
    before = question_snapshot(question)
    url = reverse("forum:question-retag", args=[question.pk])
    response = client.post(url, {"tags": "invoices, api", "reason": "better tags"})
    if not allowed:
        assert response.status_code in (302, 403)
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
            assert client.get(url).status_code == 403
        assert question_snapshot(question) == before
        assert actions() == []
        return
    assert response.status_code == 302
    question.refresh_from_db()
    assert sorted(t.name for t in question.tags.all()) == ["api", "invoices"]
    assert question.title == before[0] and question.body == before[1]
    entry = AuditLogEntry.objects.get(action="forum.question_retag")
    assert entry.data["from"] == ["billing"] and sorted(entry.data["to"]) == ["api", "invoices"]
    assert Tag.objects.get(slug="billing").question_count == 0  # counters follow


def test_retag_form_shows_the_current_tags_and_rejects_six(client):
    question = QuestionFactory(tags=[TagFactory(name="billing", slug="billing")])
    client.force_login(MemberFactory(trust_level=BASIC))
    url = reverse("forum:question-retag", args=[question.pk])
    assert 'value="billing"' in client.get(url).content.decode()
    response = client.post(url, {"tags": "a, b, c, d, e, f"})
    assert response.status_code == 400 and "At most five tags." in response.content.decode()


def test_a_locked_question_is_retagged_by_moderators_only(client):
    question = QuestionFactory(is_locked=True)
    client.force_login(MemberFactory(trust_level=LEADER))
    url = reverse("forum:question-retag", args=[question.pk])
    assert client.post(url, {"tags": "x"}).status_code == 403
    assert logged_in(ModeratorFactory()).post(url, {"tags": "x"}).status_code == 302


# --- editing others' posts ----------------------------------------------------------------

EDIT = {"title": "A clearer title for this question", "body": "A clearer body for the question."}


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("anonymous", "login"),
        ("new", "403"),
        ("basic", "suggested"),
        ("regular", "suggested"),
        ("leader", "applied"),
        ("moderator", "applied"),
        ("staff", "applied"),
    ],
)
def test_editing_someone_elses_question_per_role(role, outcome):
    question = QuestionFactory()
    client, member = viewer(role)
    before = question_snapshot(question)
    response = client.post(reverse("forum:question-edit", args=[question.pk]), EDIT)
    if outcome in ("login", "403"):
        assert response.status_code == (302 if outcome == "login" else 403)
        assert question_snapshot(question) == before
        assert not SuggestedEdit.objects.exists() and actions() == []
        return
    assert response.status_code == 302
    question.refresh_from_db()
    if outcome == "suggested":
        assert question_snapshot(question) == before  # waits for a reviewer
        suggestion = SuggestedEdit.objects.get()
        assert suggestion.author == member and suggestion.status == "pending"
        assert suggestion.title == EDIT["title"]
        assert QueueItem.objects.get(queue="suggested_edits").target == suggestion
        assert actions() == ["forum.edit_suggest"]
    else:
        assert question.title == EDIT["title"]
        assert Revision.objects.filter(target_id=question.pk, number=2, author=member).exists()
        entry = AuditLogEntry.objects.get(action="forum.question_edit")
        assert entry.actor == member and entry.data == {"revision": 2}


@pytest.mark.parametrize(
    ("level", "outcome"), [(NEW, 403), (BASIC, "suggested"), (LEADER, "applied")]
)
def test_editing_someone_elses_answer_per_level(client, level, outcome):
    answer = AnswerFactory(body="The old answer text.")
    member = MemberFactory(trust_level=level)
    client.force_login(member)
    url = reverse("forum:post-edit", args=["answer", answer.pk])
    page = client.get(url)
    response = client.post(url, {"body": "The improved answer text.", "reason": "typo"})
    answer.refresh_from_db()
    if outcome == 403:
        assert page.status_code == 403 and response.status_code == 403
        assert answer.body == "The old answer text." and actions() == []
    elif outcome == "suggested":
        assert "Suggest an edit" in page.content.decode()
        assert answer.body == "The old answer text."
        assert SuggestedEdit.objects.get().body == "The improved answer text."
    else:
        assert answer.body == "The improved answer text."
        assert actions() == ["forum.answer_edit"]


def test_the_question_page_offers_improve_to_members_at_the_suggest_level(client):
    question = QuestionFactory()
    AnswerFactory(question=question)
    client.force_login(MemberFactory(trust_level=NEW))
    assert "Improve" not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(MemberFactory(trust_level=BASIC))
    body = client.get(question.get_absolute_url()).content.decode()
    assert body.count(">Improve<") == 2  # the question and the answer
    assert reverse("forum:question-retag", args=[question.pk]) in body


def test_a_second_suggestion_waits_for_the_first(client):
    question = QuestionFactory()
    client.force_login(MemberFactory(trust_level=BASIC))
    url = reverse("forum:question-edit", args=[question.pk])
    client.post(url, EDIT)
    response = client.post(url, EDIT)
    assert response.status_code == 400 and "still waiting" in response.content.decode()
    assert SuggestedEdit.objects.count() == 1


# --- reviewing suggested edits ------------------------------------------------------------


def suggest(question=None, **kwargs) -> SuggestedEdit:
    from forum.services.privileges import suggested_edit_create

    question = question or QuestionFactory(tags=[TagFactory(name="old", slug="old")])
    return suggested_edit_create(
        actor=kwargs.pop("actor", None) or MemberFactory(trust_level=BASIC),
        post=question,
        title=EDIT["title"],
        body=EDIT["body"],
        tags=["new"],
        reason="clearer",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("new", 403),
        ("basic", 403),
        ("regular", 403),
        ("leader", 200),
        ("moderator", 200),
        ("staff", 200),
    ],
)
def test_who_reviews_suggested_edits(role, status):
    suggestion = suggest()
    client, _member = viewer(role)
    assert client.get(reverse("forum:suggested-edits")).status_code == status
    assert client.get(reverse("forum:suggested-edit", args=[suggestion.pk])).status_code == status
    response = client.post(reverse("forum:suggested-edit-approve", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    if status == 200:
        assert response.status_code == 302 and suggestion.status == "approved"
    else:
        assert response.status_code == status and suggestion.status == "pending"
        assert actions() == ["forum.edit_suggest"]


def test_approving_applies_the_edit_with_a_revision_credited_to_the_suggester(client):
    suggestion = suggest()
    question = suggestion.target
    reviewer = MemberFactory(trust_level=LEADER)
    client.force_login(reviewer)
    listing = client.get(reverse("forum:suggested-edits")).content.decode()
    assert EDIT["title"] in listing
    detail = client.get(reverse("forum:suggested-edit", args=[suggestion.pk])).content.decode()
    assert "diff-add" in detail and "diff-del" in detail
    client.post(reverse("forum:suggested-edit-approve", args=[suggestion.pk]), {"note": "thanks"})
    question.refresh_from_db()
    assert question.title == EDIT["title"] and question.body == EDIT["body"]
    assert [t.name for t in question.tags.all()] == ["new"]
    revision = Revision.objects.get(target_id=question.pk, number=2)
    assert revision.author == suggestion.author and revision.tags == ["new"]
    assert Revision.objects.get(target_id=question.pk, number=1).tags == ["old"]
    suggester = Member.objects.get(pk=suggestion.author_id)
    assert suggester.reputation == 2
    assert ReputationEvent.objects.get(member=suggester).reason == "edit_approved"
    entry = AuditLogEntry.objects.get(action="forum.edit_suggestion_approve")
    assert entry.actor == reviewer and entry.reason == "thanks"
    assert QueueItem.objects.get(queue="suggested_edits").resolution == "approved"


def test_rejecting_leaves_the_post_as_it_was(client):
    suggestion = suggest()
    before = question_snapshot(suggestion.target)
    client.force_login(MemberFactory(trust_level=LEADER))
    client.post(reverse("forum:suggested-edit-reject", args=[suggestion.pk]), {"note": "no"})
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"
    assert question_snapshot(suggestion.target) == before
    assert "forum.edit_suggestion_reject" in actions()
    # Decided once: a second decision changes nothing.
    client.post(reverse("forum:suggested-edit-approve", args=[suggestion.pk]))
    assert question_snapshot(suggestion.target) == before


def test_nobody_reviews_their_own_suggestion():
    leader = MemberFactory(trust_level=LEADER)
    CommunitySettings.objects.update_or_create(pk=1, defaults={"privilege_edit_level": 3})
    question = QuestionFactory(is_locked=False)
    # A leader edits directly; an own suggestion arises when the level rises later.
    suggestion = SuggestedEdit.objects.create(
        target_type=ContentType.objects.get_for_model(Question),
        target_id=question.pk,
        author=leader,
        title=EDIT["title"],
        body=EDIT["body"],
    )
    response = logged_in(leader).post(reverse("forum:suggested-edit-approve", args=[suggestion.pk]))
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_moderators_decide_suggestions_from_the_moderation_inbox():
    suggestion = suggest()
    moderator = ModeratorFactory()
    item = QueueItem.objects.get(queue="suggested_edits")
    moderation.queue_item_approve(actor=moderator, item=item, message="good")
    suggestion.refresh_from_db()
    assert suggestion.status == "approved" and suggestion.decided_by == moderator
    assert Question.objects.get(pk=suggestion.target_id).title == EDIT["title"]
    assert actions().count("forum.edit_suggestion_approve") == 1


def test_suggestions_on_posts_the_reviewer_cannot_see_are_not_listed(client):
    suggestion = suggest()
    Question.objects.filter(pk=suggestion.target_id).update(moderation_state=ModerationState.HIDDEN)
    client.force_login(MemberFactory(trust_level=LEADER))
    assert EDIT["title"] not in client.get(reverse("forum:suggested-edits")).content.decode()
    url = reverse("forum:suggested-edit", args=[suggestion.pk])
    assert client.get(url).status_code == 404


# --- closing and reopening ----------------------------------------------------------------


def close_vote(client, question, **data):
    return client.post(reverse("forum:question-close", args=[question.pk]), data)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("new", 403),
        ("basic", 403),
        ("regular", 302),
        ("leader", 302),
        ("moderator", 302),
        ("staff", 302),
    ],
)
def test_close_vote_per_role(role, status):
    question = QuestionFactory()
    client, member = viewer(role)
    response = close_vote(client, question, reason="off_topic", note="About another product")
    assert response.status_code == status
    question.refresh_from_db()
    if role in ("anonymous", "new", "basic"):
        assert not CloseVote.objects.exists() and actions() == [] and not question.is_closed
        return
    assert CloseVote.objects.filter(member=member).exists()
    assert "forum.question_close_vote" in actions()
    # A moderator's vote closes at once; a member's is one of three.
    assert question.is_closed == (role in ("moderator", "staff"))


def test_the_third_vote_closes_the_question_and_answers_are_refused():
    question = QuestionFactory()
    voters = [logged_in(MemberFactory(trust_level=REGULAR)) for _ in range(3)]
    for client in voters[:2]:
        close_vote(client, question, reason="off_topic", note="About another product")
    question.refresh_from_db()
    assert not question.is_closed  # N-1 votes
    close_vote(voters[2], question, reason="off_topic", note="Not about us")
    question.refresh_from_db()
    assert question.is_closed and question.close_reason == "off_topic"
    assert question.close_note == "Not about us"
    assert not CloseVote.objects.filter(is_open=True).exists()
    entry = AuditLogEntry.objects.get(action="forum.question_close")
    assert len(entry.data["voters"]) == 3
    page = voters[0].get(question.get_absolute_url()).content.decode()
    assert "Closed as off-topic:" in page and "Not about us" in page
    assert "Post your answer" not in page
    response = voters[0].post(
        reverse("forum:answer-create", args=[question.pk]), {"body": "An answer after closing."}
    )
    assert response.status_code == 403 and "closed" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_member_votes_once(client):
    question = QuestionFactory()
    client.force_login(MemberFactory(trust_level=REGULAR))
    close_vote(client, question, reason="off_topic", note="elsewhere")
    response = close_vote(client, question, reason="off_topic", note="elsewhere")
    assert response.status_code == 400
    assert "You have already voted to close this question." in response.content.decode()
    assert CloseVote.objects.count() == 1


def test_closing_as_a_duplicate_links_the_original_most_voters_named():
    original = QuestionFactory(title="The original question about widgets")
    question = QuestionFactory()
    for _ in range(3):
        client = logged_in(MemberFactory(trust_level=REGULAR))
        close_vote(client, question, reason="duplicate", duplicate_of=original.pk)
    question.refresh_from_db()
    assert question.duplicate_of == original and question.close_reason == "duplicate"
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Closed as a duplicate of" in page and original.get_absolute_url() in page


@pytest.mark.parametrize("target", ["missing", "hidden", "deleted", "itself", "none"])
def test_the_original_must_exist_and_be_visible(client, target):
    question = QuestionFactory()
    client.force_login(MemberFactory(trust_level=REGULAR))
    original = QuestionFactory()
    number = {
        "missing": 999999,
        "hidden": original.pk,
        "deleted": original.pk,
        "itself": question.pk,
        "none": "",
    }[target]
    if target == "hidden":
        Question.objects.filter(pk=original.pk).update(moderation_state=ModerationState.HIDDEN)
    if target == "deleted":
        Question.objects.filter(pk=original.pk).update(deleted_at="2026-01-01T00:00Z")
    response = close_vote(client, question, reason="duplicate", duplicate_of=number)
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "No such question." in body or "duplicate of itself" in body or "Name the question" in body
    )
    assert not CloseVote.objects.exists()


def test_off_topic_needs_a_reason(client):
    question = QuestionFactory()
    client.force_login(MemberFactory(trust_level=REGULAR))
    response = close_vote(client, question, reason="off_topic")
    assert response.status_code == 400 and "Say why it is off-topic." in response.content.decode()
    assert close_vote(client, question, reason="spam").status_code == 400
    assert not CloseVote.objects.exists()


def test_reopen_votes_reopen_at_the_number():
    question = QuestionFactory(closed_at="2026-01-01T00:00Z", close_reason="off_topic")
    clients = [logged_in(MemberFactory(trust_level=REGULAR)) for _ in range(3)]
    url = reverse("forum:question-reopen-vote", args=[question.pk])
    assert (
        "Vote to reopen"
        in clients[0].get(reverse("forum:question-close", args=[question.pk])).content.decode()
    )
    for client in clients[:2]:
        assert client.post(url).status_code == 302
    question.refresh_from_db()
    assert question.is_closed
    clients[2].post(url)
    question.refresh_from_db()
    assert not question.is_closed and question.close_reason == ""
    assert actions().count("forum.question_reopen_vote") == 3
    assert "forum.question_reopen" in actions()
    # Below the level: 403, nothing stored.
    low = logged_in(MemberFactory(trust_level=BASIC))
    Question.objects.filter(pk=question.pk).update(closed_at="2026-01-01T00:00Z")
    assert low.post(url).status_code == 403
    assert CloseVote.objects.filter(is_open=True).count() == 0


def test_reopening_an_open_question_is_a_form_error(client):
    question = QuestionFactory()
    client.force_login(MemberFactory(trust_level=REGULAR))
    response = client.post(reverse("forum:question-reopen-vote", args=[question.pk]))
    assert response.status_code == 400 and "This question is open." in response.content.decode()


# --- reverting ----------------------------------------------------------------------------


def test_a_leader_reverts_an_edit_from_the_history(client):
    question = QuestionFactory(title="The original title of it", body="The original body.")
    logged_in(MemberFactory(trust_level=LEADER)).post(
        reverse("forum:question-edit", args=[question.pk]), EDIT
    )
    reverter = MemberFactory(trust_level=LEADER)
    client.force_login(reverter)
    page = client.get(reverse("forum:revisions", args=["question", question.pk])).content.decode()
    assert "Revert to the original" in page
    url = reverse("forum:revision-revert", args=["question", question.pk, 1])
    assert client.post(url).status_code == 302
    question.refresh_from_db()
    assert question.title == "The original title of it" and question.body == "The original body."
    assert Revision.objects.filter(target_id=question.pk).count() == 3
    assert AuditLogEntry.objects.get(action="forum.revision_revert").data["to"] == 1
    # Below the edit level: 403, nothing changes.
    low = logged_in(MemberFactory(trust_level=REGULAR))
    assert (
        low.post(reverse("forum:revision-revert", args=["question", question.pk, 2])).status_code
        == 403
    )
    question.refresh_from_db()
    assert question.title == "The original title of it"


def test_staff_revert_a_retag_and_a_close_from_the_audit_log():
    question = QuestionFactory(tags=[TagFactory(name="billing", slug="billing")])
    logged_in(MemberFactory(trust_level=BASIC)).post(
        reverse("forum:question-retag", args=[question.pk]), {"tags": "wrong"}
    )
    staff = logged_in(MemberFactory(is_staff=True, trust_level=LEADER))
    log = staff.get(reverse("moderation:log")).content.decode()
    retag = AuditLogEntry.objects.get(action="forum.question_retag")
    revert_url = reverse("forum:audit-revert", args=[retag.pk])
    assert revert_url in log
    assert staff.get(revert_url).status_code == 200
    assert staff.post(revert_url, {"reason": "vandalism"}).status_code == 302
    question.refresh_from_db()
    assert [t.name for t in question.tags.all()] == ["billing"]
    # A close by votes is reverted by reopening.
    settings_row = CommunitySettings.objects.get_or_create(pk=1)[0]
    for _ in range(settings_row.close_votes_needed):
        close_vote(
            logged_in(MemberFactory(trust_level=REGULAR)), question, reason="off_topic", note="x"
        )
    question.refresh_from_db()
    assert question.is_closed
    close = AuditLogEntry.objects.get(action="forum.question_close")
    staff.post(reverse("forum:audit-revert", args=[close.pk]))
    question.refresh_from_db()
    assert not question.is_closed


def test_members_cannot_revert_from_the_audit_log():
    question = QuestionFactory()
    logged_in(MemberFactory(trust_level=BASIC)).post(
        reverse("forum:question-retag", args=[question.pk]), {"tags": "wrong"}
    )
    entry = AuditLogEntry.objects.get(action="forum.question_retag")
    leader = logged_in(MemberFactory(trust_level=LEADER))
    response = leader.post(reverse("forum:audit-revert", args=[entry.pk]))
    assert response.status_code in (403, 404)
    question.refresh_from_db()
    assert [t.name for t in question.tags.all()] == ["wrong"]


# --- thresholds staff set -----------------------------------------------------------------

SETTINGS_FORM = {"community_name": "Veche", "tagline": "", "deleted_member_posts": "keep"}


def test_staff_change_the_thresholds_and_they_take_effect(staff_client):
    page = staff_client.get(reverse("members:community-settings")).content.decode()
    assert "votes to close or reopen" in page.lower() and "retag questions from" in page.lower()
    response = staff_client.post(
        reverse("members:community-settings"),
        {
            **SETTINGS_FORM,
            "privilege_retag_level": "3",
            "privilege_suggest_edit_level": "2",
            "privilege_edit_level": "3",
            "privilege_close_level": "1",
            "close_votes_needed": "2",
            "flag_weight_new": "0.5",
            "flag_weight_basic": "1",
            "flag_weight_regular": "1.5",
            "flag_weight_leader": "2",
        },
    )
    assert response.status_code == 302
    question = QuestionFactory()
    basic = logged_in(MemberFactory(trust_level=BASIC))
    # Retagging now needs Leader; closing needs Basic and two votes.
    assert (
        basic.post(reverse("forum:question-retag", args=[question.pk]), {"tags": "x"}).status_code
        == 403
    )
    close_vote(basic, question, reason="off_topic", note="elsewhere")
    close_vote(logged_in(MemberFactory(trust_level=BASIC)), question, reason="off_topic", note="y")
    question.refresh_from_db()
    assert question.is_closed


def test_thresholds_refuse_bad_values(staff_client):
    response = staff_client.post(
        reverse("members:community-settings"), {**SETTINGS_FORM, "close_votes_needed": "0"}
    )
    assert response.status_code == 400
    assert CommunitySettings.objects.get_or_create(pk=1)[0].close_votes_needed == 3


def test_members_cannot_change_the_thresholds():
    client = logged_in(MemberFactory(trust_level=LEADER))
    response = client.post(
        reverse("members:community-settings"), {**SETTINGS_FORM, "close_votes_needed": "1"}
    )
    assert response.status_code == 403
    assert CommunitySettings.objects.get_or_create(pk=1)[0].close_votes_needed == 3


def test_flag_weight_by_level_decides_when_flags_hide_a_post(staff_client):
    from tests.moderation.factories import current_rule

    rule = current_rule(1)
    answer = AnswerFactory()
    for _ in range(2):
        moderation.flag_create(flagger=MemberFactory(trust_level=REGULAR), target=answer, rule=rule)
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.PUBLISHED  # 1 + 1 < 3
    staff_client.post(
        reverse("members:community-settings"), {**SETTINGS_FORM, "flag_weight_regular": "1.5"}
    )
    other = AnswerFactory()
    for _ in range(2):
        moderation.flag_create(flagger=MemberFactory(trust_level=REGULAR), target=other, rule=rule)
    other.refresh_from_db()
    assert other.moderation_state == ModerationState.HIDDEN  # 1.5 + 1.5 = 3
    assert AuditLogEntry.objects.filter(action="auto_hide").count() == 1


# --- the question page --------------------------------------------------------------------


def test_the_question_page_links_the_privileges_a_member_has(client):
    question = QuestionFactory()
    client.force_login(MemberFactory(trust_level=NEW))
    page = client.get(question.get_absolute_url()).content.decode()
    assert reverse("forum:question-retag", args=[question.pk]) not in page
    assert reverse("forum:question-close", args=[question.pk]) not in page
    client.force_login(MemberFactory(trust_level=LEADER))
    page = client.get(question.get_absolute_url()).content.decode()
    assert reverse("forum:question-close", args=[question.pk]) in page
    assert reverse("forum:suggested-edits") in page


@pytest.mark.parametrize("level", [NEW, LEADER])
@pytest.mark.parametrize("answers", [2, 20])
def test_the_question_page_asks_no_query_more_for_privileges(
    level, answers, django_assert_num_queries
):
    """The pin of tests/forum/test_query_counts.py: the privileges come from the viewer's trust
    level and the settings the request already read."""
    from tests.forum.test_query_counts import view_counter_queries

    question = QuestionFactory(tags=[TagFactory()])
    for _ in range(answers):
        AnswerFactory(question=question)
    client = logged_in(MemberFactory(trust_level=level))
    client.get(question.get_absolute_url())
    with django_assert_num_queries(3 + view_counter_queries()):
        body = client.get(question.get_absolute_url()).content.decode()
    assert (reverse("forum:question-close", args=[question.pk]) in body) == (level == LEADER)


def test_a_silenced_member_neither_retags_nor_votes(client):
    from datetime import timedelta

    from django.utils import timezone

    question = QuestionFactory(tags=[TagFactory(name="billing", slug="billing")])
    member = MemberFactory(trust_level=LEADER, silenced_until=timezone.now() + timedelta(days=1))
    client.force_login(member)
    before = question_snapshot(question)
    assert (
        client.post(reverse("forum:question-retag", args=[question.pk]), {"tags": "x"}).status_code
        == 403
    )
    assert close_vote(client, question, reason="off_topic", note="x").status_code == 403
    assert question_snapshot(question) == before
    assert not CloseVote.objects.exists() and actions() == []


def test_the_moderation_inbox_lists_suggested_edits():
    suggest()
    client = logged_in(ModeratorFactory())
    response = client.get("/moderation/?queue=suggested_edits")
    assert response.status_code == 200
    assert "Suggested edits" in response.content.decode()
