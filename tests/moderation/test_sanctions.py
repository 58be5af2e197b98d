from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from members.models import Member, Notification
from moderation import services
from moderation.content import ModerationState
from moderation.models import Appeal, AuditLogEntry, QueueItem, Sanction
from moderation.tasks import sanction_expire_sweep_task
from tests.factories import PASSWORD, MemberFactory
from tests.moderation.factories import CommentFactory

pytestmark = pytest.mark.django_db


def sanction_url(member):
    return f"/moderation/members/{member.username}/"


@pytest.mark.parametrize(
    "kind,days,field",
    [
        ("warn", "", None),
        ("silence", "1", "silenced_until"),
        ("suspend", "3", "suspended_until"),
        ("ban", "", "banned_at"),
    ],
)
def test_moderator_applies_each_sanction_with_a_rule_and_the_member_is_told(
    moderator_client, member, rule, kind, days, field
):
    response = moderator_client.post(
        sanction_url(member), {"kind": kind, "days": days, "rule": rule.pk, "reason": "Calm down."}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    sanction = Sanction.objects.get(member=member)
    assert sanction.kind == kind and sanction.rule == rule
    if field:
        assert getattr(member, field) is not None
    entry = AuditLogEntry.objects.get()
    assert entry.action == kind and entry.member == member and entry.rule == rule
    note = Notification.objects.get(recipient=member)
    past = {"warn": "warned", "silence": "silenced", "suspend": "suspended", "ban": "banned"}
    assert note.kind == f"moderation_{past[kind]}"
    assert note.params["rule"] == rule.citation


@pytest.mark.parametrize("kind", ["warn", "silence", "suspend", "ban"])
@pytest.mark.parametrize("who,status", [("anonymous", 302), ("member", 403)])
def test_members_cannot_sanction_and_nothing_changes(
    client, other_member, member, rule, who, status, kind
):
    if who == "member":
        client.force_login(member)
    response = client.post(sanction_url(other_member), {"kind": kind, "days": "2", "rule": rule.pk})
    assert response.status_code == status
    other_member.refresh_from_db()
    assert other_member.banned_at is None and not Sanction.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_member_moderation_page_for_moderators(
    moderator_client, member, client, django_assert_num_queries
):
    assert moderator_client.get(sanction_url(member)).status_code == 200
    assert moderator_client.get("/moderation/members/nobody/").status_code == 404
    assert moderator_client.get(f"/moderation/members/id/{member.pk}/").status_code == 302


def test_silence_needs_a_duration(moderator_client, member, rule):
    response = moderator_client.post(
        sanction_url(member), {"kind": "silence", "days": "", "rule": rule.pk}
    )
    assert response.status_code == 400
    assert not Sanction.objects.exists()


@pytest.mark.parametrize(
    "kind,days", [("warn", ""), ("silence", "2"), ("suspend", "2"), ("ban", "")]
)
def test_a_sanction_without_a_rule_is_refused_even_with_a_reason(
    moderator_client, member, kind, days
):
    response = moderator_client.post(
        sanction_url(member), {"kind": kind, "days": days, "rule": "", "reason": "Rude."}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert member.banned_at is None and member.silenced_until is None
    assert member.suspended_until is None
    assert not Sanction.objects.exists() and not AuditLogEntry.objects.exists()
    assert not Notification.objects.filter(recipient=member).exists()


def test_the_service_refuses_a_sanction_without_a_rule(moderator, member):
    with pytest.raises(ValidationError, match="Cite the rule"):
        services.sanction_apply(actor=moderator, member=member, kind="ban", reason="Spam.")
    member.refresh_from_db()
    assert member.banned_at is None and not Sanction.objects.exists()


def test_moderators_cannot_sanction_staff_or_themselves(moderator, staff, rule):
    with pytest.raises(PermissionDenied):
        services.member_ban(actor=moderator, member=staff, rule=rule)
    with pytest.raises(PermissionDenied):
        services.member_warn(actor=moderator, member=moderator, rule=rule)


def test_a_silenced_member_cannot_post_for_a_day_then_can(moderator, member, rule):
    services.member_silence(actor=moderator, member=member, duration=timedelta(days=1), rule=rule)
    member.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.check_can_post(member)
    later = timezone.now() + timedelta(days=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        services.check_can_post(member)  # expired by itself, before any sweep
        assert sanction_expire_sweep_task() == 1
    member.refresh_from_db()
    assert member.silenced_until is None
    assert Sanction.objects.get().ended_at is not None
    assert AuditLogEntry.objects.filter(action="expire").count() == 1


def test_a_suspended_member_cannot_log_in_until_it_ends(client, moderator, member, rule):
    services.member_suspend(actor=moderator, member=member, duration=timedelta(days=2), rule=rule)
    assert not client.login(username=member.username, password=PASSWORD)
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 403 and "suspended until" in response.content.decode()
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(days=2, hours=1)
    ):
        assert client.login(username=member.username, password=PASSWORD)


def test_a_member_suspended_while_signed_in_is_signed_out(client, moderator, member, rule):
    client.force_login(member)
    services.member_suspend(actor=moderator, member=member, duration=timedelta(days=1), rule=rule)
    response = client.get("/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_lifting_a_sanction(moderator_client, moderator, member, other_member, rule):
    sanction = services.member_ban(actor=moderator, member=member, rule=rule)
    outsider = Client()
    outsider.force_login(other_member)
    assert outsider.post(f"/moderation/sanctions/{sanction.pk}/lift/").status_code == 403
    assert outsider.get(sanction_url(member)).status_code == 403
    member.refresh_from_db()
    assert member.banned_at is not None
    response = moderator_client.post(f"/moderation/sanctions/{sanction.pk}/lift/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.banned_at is None
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "ban",
        "lift",
    ]


def test_a_member_appeals_a_decision_once_and_it_enters_the_queue(client, moderator, rule):
    comment = CommentFactory()
    services.content_hide(actor=moderator, target=comment, rule=rule, reason="rude")
    decision = AuditLogEntry.objects.get(action="hide")
    client.force_login(comment.author)
    page = client.get(f"/moderation/appeal/{decision.pk}/")
    assert page.status_code == 200 and rule.title in page.content.decode()
    response = client.post(
        f"/moderation/appeal/{decision.pk}/", {"text": "It was a joke between friends."}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    item = QueueItem.objects.get(queue="appeals")
    assert item.target == appeal
    assert (
        client.post(f"/moderation/appeal/{decision.pk}/", {"text": "Again, please!!"}).status_code
        == 400
    )
    assert Appeal.objects.count() == 1
    # Granting the appeal restores the post; one audit row.
    services.queue_item_approve(actor=moderator, item=item)
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert AuditLogEntry.objects.filter(action="appeal_grant").count() == 1
    assert Notification.objects.filter(
        recipient=comment.author, kind="moderation_appeal_granted"
    ).exists()


def test_others_cannot_see_or_appeal_someone_elses_decision(member_client, moderator, rule):
    comment = CommentFactory()
    services.content_hide(actor=moderator, target=comment, rule=rule)
    decision = AuditLogEntry.objects.get()
    assert member_client.get(f"/moderation/appeal/{decision.pk}/").status_code == 404
    assert (
        member_client.post(
            f"/moderation/appeal/{decision.pk}/", {"text": "Let me appeal it."}
        ).status_code
        == 404
    )


def test_a_granted_appeal_lifts_a_sanction_and_a_denied_one_keeps_it(moderator, member, rule):
    services.member_silence(actor=moderator, member=member, duration=timedelta(days=7), rule=rule)
    decision = AuditLogEntry.objects.get(action="silence")
    services.appeal_create(member=member, decision=decision, text="I apologise sincerely.")
    services.queue_item_approve(actor=moderator, item=QueueItem.objects.get(queue="appeals"))
    member.refresh_from_db()
    assert member.silenced_until is None
    other = MemberFactory()
    services.member_suspend(actor=moderator, member=other, duration=timedelta(days=7), rule=rule)
    decision = AuditLogEntry.objects.get(action="suspend")
    services.appeal_create(member=other, decision=decision, text="I did nothing wrong.")
    item = QueueItem.objects.get(queue="appeals", resolved_at__isnull=True)
    services.queue_item_reject(actor=moderator, item=item, message="The log says otherwise.")
    other.refresh_from_db()
    assert other.is_suspended
    assert Appeal.objects.get(member=other).outcome == "denied"


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_an_appeal_deleted_since_is_resolved_without_a_decision(moderator, member, rule, decide):
    services.member_silence(actor=moderator, member=member, duration=timedelta(days=7), rule=rule)
    decision = AuditLogEntry.objects.get(action="silence")
    services.appeal_create(member=member, decision=decision, text="I apologise sincerely.")
    item = QueueItem.objects.get(queue="appeals")
    Appeal.objects.all().delete()
    if decide == "approve":
        services.queue_item_approve(actor=moderator, item=item)
    else:
        services.queue_item_reject(actor=moderator, item=item)
    item.refresh_from_db()
    assert item.resolved_at is not None
    member.refresh_from_db()
    assert member.silenced_until is not None  # nothing was granted
    assert not AuditLogEntry.objects.filter(action__in=["appeal_grant", "appeal_deny"]).exists()


def test_approvals_cannot_be_appealed(moderator):
    entry = AuditLogEntry.objects.create(action="approve", member=MemberFactory())
    with pytest.raises(ValidationError):
        services.appeal_create(member=entry.member, decision=entry, text="Why approve me?")


def test_banned_member_fields(member):
    assert isinstance(member, Member)


def test_a_shorter_silence_does_not_cut_a_longer_one_short(moderator, member, rule):
    services.member_silence(actor=moderator, member=member, duration=timedelta(days=7), rule=rule)
    services.member_silence(actor=moderator, member=member, duration=timedelta(days=1), rule=rule)
    member.refresh_from_db()
    assert member.silenced_until > timezone.now() + timedelta(days=6)
