"""Staff and moderator screens speak plainly (issue 21, defect 7): readable audit actions and
targets, an inline decision that says what it did and refreshes the inbox's counts, and an
audit log moderators can read (but for the staff-only entries)."""

import re

import pytest

from moderation import services
from moderation.models import AuditLogEntry
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory
from tests.html import visible_text

from .factories import CommentFactory, new_member
from .test_inbox import flagged, held

pytestmark = pytest.mark.django_db


def test_the_log_names_other_apps_actions_and_shows_targets_as_plain_text(staff_client, staff):
    answer = AnswerFactory(body="Open **Settings → Billing** and press *Export*.")
    services.audit_log_write(actor=staff, action="forum.answer_edit", target=answer)
    AuditLogEntry.objects.create(actor=staff, action="forum.idea_merge", target_repr="idea #7")
    page = visible_text(staff_client.get("/moderation/log/").content.decode())
    assert "forum.idea_merge" not in page and "forum.answer_edit" not in page
    assert "Ideas merged" in page and "Answer edited" in page
    assert f"Answer #{answer.pk}: Open Settings → Billing and press Export." in page
    assert "**" not in page


def test_moderators_read_the_log_but_not_the_staff_only_entries(client, moderator, staff, rule):
    services.member_warn(actor=moderator, member=MemberFactory(username="warned"), rule=rule)
    services.blocked_word_add(actor=staff, word="secretword")
    AuditLogEntry.objects.create(actor=staff, action="referral_clawback", reason="same device")
    client.force_login(moderator)
    page = client.get("/moderation/log/").content.decode()
    assert "warned" in page
    assert "secretword" not in page and "same device" not in page
    csv = b"".join(client.get("/moderation/log/?format=csv").streaming_content).decode()
    assert "secretword" not in csv and "same device" not in csv
    inbox = client.get("/moderation/").content.decode()
    assert 'href="/moderation/log/"' in inbox and "/moderation/blocked-words/" not in inbox
    client.force_login(staff)
    page = client.get("/moderation/log/").content.decode()
    assert "secretword" in page and "same device" in page


def test_keeping_a_flagged_post_says_the_flags_were_dismissed(moderator_client, rule):
    comment, item = flagged(rule)
    response = moderator_client.post(f"/moderation/items/{item.pk}/approve/", follow=True)
    page = visible_text(response.content.decode())
    assert "Flags dismissed. The post stays up." in page and "Approved." not in page
    comment.refresh_from_db()
    assert comment.moderation_state == "published"


def test_an_inline_decision_refreshes_the_inbox_counts_out_of_band(moderator_client, rule):
    held()
    _, item = held()
    flagged(rule)
    inbox = moderator_client.get("/moderation/?queue=flagged").content.decode()
    assert "3 items waiting" in visible_text(inbox) and 'id="queue-counts"' in inbox
    response = moderator_client.post(
        f"/moderation/items/{item.pk}/approve/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/moderation/?queue=flagged",
    )
    html = response.content.decode()
    oob = re.search(r'<div id="queue-counts" hx-swap-oob="true">.*?</div>', html, re.S)
    assert oob, html
    assert "2 items waiting" in visible_text(html)
    assert 'href="?queue=flagged" aria-current="page"' in html


def test_rejecting_a_held_post_inline_still_says_which_rule_was_told(moderator_client, rule):
    _, item = held(author=new_member())
    response = moderator_client.post(
        f"/moderation/items/{item.pk}/reject/", {"rule": rule.pk}, HTTP_HX_REQUEST="true"
    )
    assert "Rejected. The author was told which rule." in response.content.decode()
    assert CommentFactory._meta.model.objects.get(pk=item.target_id).moderation_state == "rejected"
