"""The audit log as staff read it: actions by their labels, the CSV's data column as JSON
(issue 20, point 8)."""

import csv
import io
import json

import pytest
from django.utils import timezone

from moderation.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def test_the_audit_log_csv_has_readable_json_and_action_labels(staff_client, staff):
    AuditLogEntry.objects.create(
        actor=staff,
        action="forum.idea_merge",
        target_repr="Тёмная тема",
        data={"into": 12, "votes_moved": 3, "title": "Тёмная тема"},
        created_at=timezone.now(),
    )
    response = staff_client.get("/moderation/log/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, row = rows[0], rows[1]
    data = row[header.index("data")]
    assert json.loads(data) == {"into": 12, "votes_moved": 3, "title": "Тёмная тема"}
    assert "Тёмная тема" in data  # not \\u escapes
    assert row[header.index("action")] == "forum.idea_merge"
    assert row[header.index("action_label")] == "Ideas merged"


def test_the_audit_log_filter_lists_actions_by_label(staff_client, staff):
    AuditLogEntry.objects.create(actor=staff, action="forum.idea_merge", target_repr="merged")
    AuditLogEntry.objects.create(actor=staff, action="ban", target_repr="banned one")
    html = staff_client.get("/moderation/log/").content.decode()
    assert '<option value="forum.idea_merge">Ideas merged</option>' in html
    html = staff_client.get("/moderation/log/", {"action": "forum.idea_merge"}).content.decode()
    assert "merged" in html and "banned one" not in html
