from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Notification
from moderation import registry, services
from moderation.content import ModerationState
from moderation.models import AuditLogEntry, Flag, QueueItem
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory, new_member

pytestmark = pytest.mark.django_db


def held(author=None, **kwargs):
    author = author or new_member()
    c = CommentFactory(author=author, moderation_state=ModerationState.HELD, **kwargs)
    return c, services.content_held(target=c, author=author, reasons=["first posts"])


def flagged(rule, n=1):
    c = CommentFactory()
    for _ in range(n):
        services.flag_create(flagger=MemberFactory(), target=c, rule=rule)
    return c, QueueItem.objects.get(queue="flagged", target_id=c.pk)


@pytest.mark.parametrize(
    "who,status", [("anonymous", 302), ("member", 403), ("moderator", 200), ("staff", 200)]
)
def test_inbox_is_for_moderators_and_staff_only(client, who, status, member, moderator, staff):
    held()
    user = {"member": member, "moderator": moderator, "staff": staff}.get(who)
    if user:
        client.force_login(user)
    response = client.get("/moderation/")
    assert response.status_code == status
    if status == 200:
        assert "Awaiting approval" in response.content.decode()


def test_a_member_granted_the_moderate_permission_sees_the_inbox(client, member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="moderate"))
    client.force_login(member)
    assert client.get("/moderation/").status_code == 200


def test_moderators_group_carries_the_moderate_permission(moderator):
    assert moderator.has_perm("moderation.moderate")


def test_inbox_runs_the_same_queries_for_10_and_100_items(
    moderator_client, rule, django_assert_num_queries
):
    from django.contrib.auth.models import Group

    colleague = MemberFactory(badge="ambassador")
    colleague.groups.add(Group.objects.get(name="Moderators"))

    def fill(n):
        for i in range(n):
            if i % 3 == 0:
                flagged(rule)
            else:
                _, item = held(author=new_member(badge="advocate", is_staff=i % 4 == 0))
                if i % 5 == 0:  # the claimer's name shows
                    services.queue_item_claim(actor=colleague, item=item)

    fill(10)
    moderator_client.get("/moderation/")  # warm caches (settings, content types, rules)
    moderator_client.get("/moderation/")  # the member's row again: the day's first visit touched it
    # queue summary (grouped; it also gives the page count), items (+ the fields shown of
    # their member and claimer, joined), comments of the page (one per content type); the
    # member's row, the session, the moderator group check and content types come from the
    # cache
    with django_assert_num_queries(3) as ten:
        r10 = moderator_client.get("/moderation/")
    fill(90)
    with django_assert_num_queries(len(ten.captured_queries)):
        r100 = moderator_client.get("/moderation/")
    assert r10.content.decode().count('class="card queue-item') == 10
    html = r100.content.decode()
    assert html.count('class="card queue-item') == 50  # one page
    assert f"claimed by {colleague.name}" in html and "badge-advocate" in html
    assert "badge-staff" in html


def test_inbox_with_appeals_and_profiles_keeps_a_constant_count(
    moderator_client, rule, moderator, django_assert_num_queries
):
    def fill(n):
        for _ in range(n):
            m = MemberFactory()
            services.flag_create(flagger=MemberFactory(), target=m, rule=rule)
            c, item = held()
            services.queue_item_reject(actor=moderator, item=item, rule=rule)
            decision = AuditLogEntry.objects.filter(action="reject").first()
            services.appeal_create(member=c.author, decision=decision, text="I was right here.")

    fill(2)
    moderator_client.get("/moderation/")
    moderator_client.get("/moderation/")  # the member's row again: the day's first visit touched it
    # summary (and page count), items, flagged profiles, appeals (with their decision and rule
    # joined); the member's row, the session and the moderator group check come from the cache
    with django_assert_num_queries(4) as few:
        moderator_client.get("/moderation/")
    fill(8)
    with django_assert_num_queries(len(few.captured_queries)):
        html = moderator_client.get("/moderation/").content.decode()
    assert "Grant appeal" in html and "profile" in html


def test_new_members_held_posts_come_first_then_oldest_first(moderator_client, member):
    _, old_regular = held(author=member)
    QueueItem.objects.filter(pk=old_regular.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    _, newer_newbie = held()
    _, newest_newbie = held()
    html = moderator_client.get("/moderation/?queue=approval").content.decode()
    positions = [
        html.index(f'id="item-{i.pk}"') for i in (newer_newbie, newest_newbie, old_regular)
    ]
    assert positions == sorted(positions)


def test_items_past_the_target_age_are_highlighted_and_counted(moderator_client, settings):
    settings.VECHE_QUEUE_TARGET_HOURS = {"approval": 12, "flagged": 24, "appeals": 72}
    _, late = held()
    held()
    QueueItem.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=13))
    html = moderator_client.get("/moderation/").content.decode()
    assert "1 overdue" in html
    assert f'class="card queue-item overdue" id="item-{late.pk}"' in html


def test_registered_queues_appear_and_get_their_callbacks(moderator_client, moderator, member):
    calls = []
    registry.register_queue(
        "referrals-test",
        label="Suspicious referrals",
        on_approve=lambda item, mod, msg: calls.append(("ok", item.pk)),
        on_reject=lambda item, mod, msg: calls.append(("no", item.pk)),
    )
    try:
        item = services.queue_item_add(
            queue="referrals-test", target=member, member=member, reason="burst from one address"
        )
        html = moderator_client.get("/moderation/").content.decode()
        assert "Suspicious referrals" in html and "burst from one address" in html
        moderator_client.post(f"/moderation/items/{item.pk}/approve/")
        assert calls == [("ok", item.pk)]
        assert AuditLogEntry.objects.filter(action="approve").count() == 1
    finally:
        registry.QUEUES.pop("referrals-test")


def test_claiming_keeps_other_moderators_away(moderator_client, moderator):
    _, item = held()
    assert moderator_client.post(f"/moderation/items/{item.pk}/claim/").status_code == 302
    item.refresh_from_db()
    assert item.claimed_by == moderator
    other = MemberFactory(is_staff=False)
    from django.contrib.auth.models import Group

    other.groups.add(Group.objects.get(name="Moderators"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.queue_item_approve(actor=other, item=item)
    assert AuditLogEntry.objects.filter(action="claim").count() == 1


def test_moderator_approves_a_held_post_which_becomes_visible(moderator_client):
    c, item = held()
    response = moderator_client.post(f"/moderation/items/{item.pk}/approve/")
    assert response.status_code == 302
    c.refresh_from_db()
    item.refresh_from_db()
    assert c.moderation_state == ModerationState.PUBLISHED and item.resolution == "approved"
    assert AuditLogEntry.objects.filter(action="approve").count() == 1
    assert AuditLogEntry.objects.count() == 1
    assert Notification.objects.filter(recipient=c.author, kind="moderation_approved").exists()


def test_moderator_rejects_a_held_post_and_the_author_is_told_the_rule(moderator_client, rule):
    c, item = held()
    response = moderator_client.post(
        f"/moderation/items/{item.pk}/reject/", {"rule": rule.pk, "message": "Too promotional."}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.moderation_state == ModerationState.REJECTED
    entry = AuditLogEntry.objects.get()
    assert entry.action == "reject" and entry.rule == rule and entry.member == c.author
    note = Notification.objects.get(recipient=c.author, kind="moderation_rejected")
    assert note.params["rule"] == rule.citation and note.url == f"/moderation/appeal/{entry.pk}/"


def test_rejecting_a_post_without_a_rule_is_a_form_error(moderator_client):
    c, item = held()
    response = moderator_client.post(f"/moderation/items/{item.pk}/reject/", {})
    assert response.status_code == 302  # back to the inbox with the error message
    item.refresh_from_db()
    assert item.resolved_at is None and not AuditLogEntry.objects.exists()
    assert (
        moderator_client.post(f"/moderation/items/{item.pk}/reject/", {"rule": "x"}).status_code
        == 400
    )


def test_flagged_item_kept_or_removed(moderator_client, rule):
    c, item = flagged(rule, n=3)
    c.refresh_from_db()
    assert c.moderation_state == ModerationState.HIDDEN
    moderator_client.post(f"/moderation/items/{item.pk}/approve/")
    c.refresh_from_db()
    assert c.moderation_state == ModerationState.PUBLISHED
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"dismissed"}
    c2, item2 = flagged(rule)
    moderator_client.post(f"/moderation/items/{item2.pk}/reject/", {"rule": rule.pk})
    c2.refresh_from_db()
    assert c2.moderation_state == ModerationState.HIDDEN
    assert Flag.objects.get(target_id=c2.pk).outcome == "upheld"


def test_bulk_approve_and_reject(moderator_client, rule):
    pairs = [held() for _ in range(4)]
    ids = [str(i.pk) for _, i in pairs]
    moderator_client.post("/moderation/items/bulk/", {"items": ids[:2], "decision": "approve"})
    moderator_client.post(
        "/moderation/items/bulk/",
        {"items": ids[2:], "decision": "reject", "rule": rule.pk, "message": "spam"},
    )
    states = [c.__class__.objects.get(pk=c.pk).moderation_state for c, _ in pairs]
    assert states == ["published", "published", "rejected", "rejected"]
    assert AuditLogEntry.objects.count() == 4


def test_bulk_reject_without_rule_is_refused(moderator_client):
    _, item = held()
    response = moderator_client.post(
        "/moderation/items/bulk/", {"items": [item.pk], "decision": "reject"}
    )
    assert response.status_code == 400
    assert moderator_client.post("/moderation/items/bulk/", {"decision": "x"}).status_code == 400


@pytest.mark.parametrize("action", ["approve", "reject", "claim"])
def test_members_cannot_decide_and_nothing_changes(member_client, rule, action):
    c, item = held()
    response = member_client.post(f"/moderation/items/{item.pk}/{action}/", {"rule": rule.pk})
    assert response.status_code == 403
    item.refresh_from_db()
    c.refresh_from_db()
    assert item.resolved_at is None and item.claimed_by is None
    assert c.moderation_state == ModerationState.HELD and not AuditLogEntry.objects.exists()
    assert (
        member_client.post(
            "/moderation/items/bulk/", {"items": [item.pk], "decision": "approve"}
        ).status_code
        == 403
    )


def test_deciding_twice_is_refused_gracefully(moderator_client):
    _, item = held()
    moderator_client.post(f"/moderation/items/{item.pk}/approve/")
    response = moderator_client.post(f"/moderation/items/{item.pk}/approve/", follow=True)
    assert response.status_code == 200 and "already handled" in response.content.decode()
    assert AuditLogEntry.objects.count() == 1
    assert moderator_client.post("/moderation/items/999999/approve/").status_code == 404


def test_hide_and_restore_directly(client, member, moderator, rule, comment):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(comment).pk
    hide = f"/moderation/content/{ct}/{comment.pk}/hide/"
    restore = f"/moderation/content/{ct}/{comment.pk}/restore/"
    assert client.post(restore).status_code == 302  # anonymous: to the login page
    client.force_login(member)
    assert client.post(hide, {"rule": rule.pk}).status_code == 403
    comment.refresh_from_db()
    assert comment.moderation_state == "published"
    client.force_login(moderator)
    assert client.post(hide, {"rule": rule.pk, "reason": "off"}).status_code == 302
    comment.refresh_from_db()
    assert comment.moderation_state == "hidden"
    assert client.post(hide, {}).status_code == 400
    client.force_login(member)
    assert client.post(restore).status_code == 403
    client.force_login(moderator)
    assert client.post(restore).status_code == 302
    comment.refresh_from_db()
    assert comment.moderation_state == "published"
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "hide",
        "restore",
    ]


def test_with_htmx_the_decided_row_is_replaced_by_its_outcome(moderator_client):
    c, item = held()
    response = moderator_client.post(
        f"/moderation/items/{item.pk}/approve/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and "Approved." in html and "<html" not in html
    again = moderator_client.post(f"/moderation/items/{item.pk}/approve/", HTTP_HX_REQUEST="true")
    assert "already handled" in again.content.decode()


def test_a_registered_queue_may_hold_any_model(moderator_client, member):
    from forum.models import Category

    registry.register_queue("applications-test", label="Ambassador applications")
    try:
        target = Category.objects.create(name="Billing area", slug="billing-area")
        services.queue_item_add(queue="applications-test", target=target, member=member)
        html = moderator_client.get("/moderation/?queue=applications-test").content.decode()
        assert "Ambassador applications" in html and "Billing area" in html
        assert moderator_client.get("/moderation/?queue=nope").status_code == 404
    finally:
        registry.QUEUES.pop("applications-test")


def test_a_queue_owner_that_audits_its_decision_gets_exactly_one_row(moderator, member):
    def decide(item, mod, message):
        services.audit_log_write(
            actor=mod, action="application_accept", target=item.target, member=item.member
        )

    registry.register_queue("applications-audited", label="Applications", on_approve=decide)
    try:
        item = services.queue_item_add(queue="applications-audited", target=member, member=member)
        services.queue_item_approve(actor=moderator, item=item)
        assert list(AuditLogEntry.objects.values_list("action", flat=True)) == [
            "application_accept"
        ]
    finally:
        registry.QUEUES.pop("applications-audited")


def test_inbox_links_open_the_item_where_it_is_shown(moderator_client):
    from django.contrib.contenttypes.models import ContentType

    c, item = held()
    ct = ContentType.objects.get_for_model(c).pk
    response = moderator_client.get(f"/moderation/content/{ct}/{c.pk}/")
    assert response.status_code == 302
    assert response["Location"] == c.target.get_absolute_url()  # a comment opens its parent
    assert moderator_client.get(f"/moderation/content/{ct}/999999/").status_code == 404


def test_pages_count_every_open_item_of_the_queue_shown(moderator_client, rule, settings):
    settings.VECHE_INBOX_PER_PAGE = 2
    for _ in range(3):
        held()
    flagged(rule)
    registry.register_queue("gone-test", label="Removed later")
    services.queue_item_add(queue="gone-test", target=MemberFactory(), reason="orphan")
    registry.QUEUES.pop("gone-test")  # items of a queue no longer registered still list
    assert "Page 1 of 3" in moderator_client.get("/moderation/").content.decode()
    last = moderator_client.get("/moderation/?page=3").content.decode()
    assert "orphan" in last and last.count('class="card queue-item') == 1
    html = moderator_client.get("/moderation/?queue=approval&page=2").content.decode()
    assert "Page 2 of 2" in html and html.count('class="card queue-item') == 1
    assert "Page" not in moderator_client.get("/moderation/?queue=flagged").content.decode()
    assert "4 items waiting" in html  # registered queues only, as the tabs count
