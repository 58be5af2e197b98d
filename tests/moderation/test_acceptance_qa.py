"""The issue's acceptance points end to end over HTTP, with the Q&A posting views."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from forum.models import Answer
from members.models import Member, Notification
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, QueueItem
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, QuestionFactory
from tests.moderation.factories import new_member

pytestmark = pytest.mark.django_db

BODY = "Restart the sync agent, then clear the cache in Settings › Storage."


def answer_url(question):
    return f"/questions/{question.pk}/answer/"


def flag_url(obj):
    return f"/moderation/flag/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


@pytest.fixture
def question(db):
    return QuestionFactory()


def test_a_new_members_first_answer_is_held_invisible_and_appears_after_approval(
    question, moderator
):
    author = new_member()
    response = logged_in(author).post(answer_url(question), {"body": BODY})
    assert response.status_code == 302
    answer = Answer.objects.get(author=author)
    assert answer.moderation_state == ModerationState.HELD
    page = question.get_absolute_url()
    assert BODY not in Client().get(page).content.decode()
    assert BODY not in logged_in(MemberFactory()).get(page).content.decode()
    item = QueueItem.objects.get(queue="approval", target_id=answer.pk)
    assert item.priority > 0  # new members first
    mod = logged_in(moderator)
    assert "Restart the sync agent" in mod.get("/moderation/").content.decode()
    assert mod.post(f"/moderation/items/{item.pk}/approve/").status_code == 302
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.PUBLISHED
    assert BODY in Client().get(page).content.decode()
    assert AuditLogEntry.objects.filter(action="approve").count() == 1
    assert AuditLogEntry.objects.count() == 1


def test_a_rejected_answer_stays_invisible_and_its_author_is_told_the_rule(
    question, moderator, rule
):
    author = new_member()
    logged_in(author).post(answer_url(question), {"body": BODY})
    item = QueueItem.objects.get(queue="approval")
    response = logged_in(moderator).post(
        f"/moderation/items/{item.pk}/reject/", {"rule": rule.pk, "message": "Please ask support."}
    )
    assert response.status_code == 302
    answer = Answer.objects.get(author=author)
    assert answer.moderation_state == ModerationState.REJECTED
    assert BODY not in logged_in(MemberFactory()).get(question.get_absolute_url()).content.decode()
    notes = logged_in(author).get("/notifications/").content.decode()
    assert rule.title in notes and "rejected" in notes
    assert Notification.objects.get(recipient=author).kind == "moderation_rejected"
    assert AuditLogEntry.objects.get().rule == rule


def test_a_member_cannot_approve_or_reject_and_nothing_changes(question, member, rule):
    author = new_member()
    logged_in(author).post(answer_url(question), {"body": BODY})
    item = QueueItem.objects.get()
    client = logged_in(member)
    assert client.post(f"/moderation/items/{item.pk}/approve/").status_code == 403
    assert client.post(f"/moderation/items/{item.pk}/reject/", {"rule": rule.pk}).status_code == 403
    assert Answer.objects.get().moderation_state == ModerationState.HELD
    assert not AuditLogEntry.objects.exists()


def test_three_flags_from_regular_members_hide_an_answer_one_new_member_flag_does_not(
    question, rule
):
    answer = AnswerFactory(question=question, body=BODY)
    page = question.get_absolute_url()
    logged_in(new_member()).post(flag_url(answer), {"rule": rule.pk})
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.PUBLISHED
    assert BODY in Client().get(page).content.decode()
    for _ in range(3):
        regular = MemberFactory(trust_level=Member.TrustLevel.REGULAR)
        assert logged_in(regular).post(flag_url(answer), {"rule": rule.pk}).status_code == 302
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.HIDDEN
    assert BODY not in Client().get(page).content.decode()
    assert QueueItem.objects.filter(
        queue="flagged", target_id=answer.pk, resolved_at__isnull=True
    ).exists()
    assert AuditLogEntry.objects.get().action == "auto_hide"


def test_a_member_silenced_for_a_day_cannot_post_then_can_once_the_day_has_passed(
    question, member, moderator, rule
):
    mod = logged_in(moderator)
    response = mod.post(
        f"/moderation/members/{member.username}/",
        {"kind": "silence", "days": "1", "rule": rule.pk, "reason": "Cool off."},
    )
    assert response.status_code == 302
    assert AuditLogEntry.objects.filter(action="silence").count() == 1
    client = logged_in(member)
    refused = client.post(answer_url(question), {"body": BODY})
    assert refused.status_code == 403 and "silenced" in refused.content.decode()
    assert not Answer.objects.exists()
    later = timezone.now() + timedelta(days=1, minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.post(answer_url(question), {"body": BODY}).status_code == 302
    assert Answer.objects.get().moderation_state == ModerationState.PUBLISHED


def test_a_suspended_member_cannot_log_in_meanwhile(member, moderator, rule):
    from tests.factories import PASSWORD

    logged_in(moderator).post(
        f"/moderation/members/{member.username}/", {"kind": "suspend", "days": "3", "rule": rule.pk}
    )
    client = Client()
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/settings/").status_code == 302
    assert AuditLogEntry.objects.filter(action="suspend").count() == 1


def test_after_a_version_requiring_reacceptance_posting_is_refused_until_accepted(
    question, member, staff
):
    staff_client = logged_in(staff)
    response = staff_client.post(
        "/rules/publish/",
        {
            "change_summary": "New rule on AI answers.",
            "requires_reacceptance": "on",
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-0-title": "Say when a tool wrote it",
            "rules-0-explanation": "",
        },
    )
    assert response.status_code == 302
    assert AuditLogEntry.objects.get().action == "document_publish"
    client = logged_in(member)
    refused = client.post(answer_url(question), {"body": BODY})
    assert refused.status_code == 403
    assert 'href="/rules/accept/"' in refused.content.decode()
    assert not Answer.objects.exists()
    assert client.get(question.get_absolute_url()).status_code == 200  # can still read
    assert client.post("/rules/accept/").status_code == 302
    assert client.post(answer_url(question), {"body": BODY}).status_code == 302
    assert Answer.objects.get().author == member


def test_the_inbox_with_held_answers_runs_a_constant_number_of_queries(
    moderator, django_assert_num_queries
):
    def fill(n):
        question = QuestionFactory()
        for i in range(n):
            author = new_member()
            logged_in(author).post(answer_url(question), {"body": f"{BODY} ({i})"})

    fill(10)
    client = logged_in(moderator)
    client.get("/moderation/")
    client.get("/moderation/")  # the member's row again: the day's first visit touched it
    # summary (which gives the page count too), items, answers (one per content type); the
    # member's row, the session and the moderator-group check come from the cache
    with django_assert_num_queries(3):
        client.get("/moderation/")
    fill(90)
    with django_assert_num_queries(3):
        html = client.get("/moderation/").content.decode()
    assert html.count('class="card queue-item') == 50


def test_the_question_page_shows_flag_and_moderator_controls_without_extra_queries(
    question, moderator, member
):
    AnswerFactory.create_batch(3, question=question)
    html = logged_in(member).get(question.get_absolute_url()).content.decode()
    assert 'class="flag-control"' in html and "Warn or sanction the author" not in html
    html = logged_in(moderator).get(question.get_absolute_url()).content.decode()
    assert "Warn or sanction the author" in html


@pytest.mark.parametrize(
    "action,path,data",
    [
        ("forum.question_lock", "/questions/{q}/lock/", {"reason": "Heated."}),
        ("forum.question_move", "/questions/{q}/move/", {"category": "{cat}", "reason": "Area"}),
        (
            "forum.question_close_duplicate",
            "/questions/{q}/duplicate/",
            {"duplicate_of": "{orig}", "reason": "Same"},
        ),
        (
            "forum.answer_edit",
            "/qa/answer/{a}/edit-post/",
            {"body": "Edited by a moderator.", "reason": "Typo"},
        ),
    ],
)
def test_content_app_moderator_actions_write_one_audit_row_and_members_get_403(
    question, moderator, member, action, path, data
):
    """Edit, lock, move and close as duplicate live in the Q&A app (linked from the moderator
    controls); each is refused to members and leaves exactly one audit row for moderators."""
    from tests.forum.factories import CategoryFactory

    answer = AnswerFactory(question=question)
    values = {
        "q": question.pk,
        "a": answer.pk,
        "cat": CategoryFactory().slug,
        "orig": QuestionFactory().pk,
    }
    url = path.format(**values)
    payload = {k: v.format(**values) for k, v in data.items()}
    # Editing others' answers is a privilege of trust levels (docs/privileges.md): a new
    # member is refused it; a regular would suggest the edit instead.
    refuser = MemberFactory(trust_level=0) if action == "forum.answer_edit" else member
    refused = logged_in(refuser).post(url, payload)
    assert refused.status_code == 403
    assert not AuditLogEntry.objects.exists()
    assert logged_in(moderator).post(url, payload).status_code == 302
    assert list(AuditLogEntry.objects.values_list("action", flat=True)) == [action]
