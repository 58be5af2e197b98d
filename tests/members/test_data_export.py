"""Export my data: a background job builds a ZIP of every app's rows about the member, and
e-mails a link that only they can use, for a limited time."""

import io
import json
import re
import zipfile
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import DataExport, OutboundEmail
from members.personal_data import SOURCES
from members.services_privacy import data_export_sweep
from tests.factories import MemberFactory, ModeratorFactory, logged_in

from .personal_data import IP, USER_AGENT, demo_member

pytestmark = pytest.mark.django_db


def request_export(client: Client, capture) -> str:
    with capture(execute=True):
        response = client.post(reverse("members:data-export-request"))
    assert response.status_code == 302
    # The outbox blanks an account e-mail's text once sent: read what was sent.
    [message] = [m for m in mail.outbox if m.subject == "Your data export is ready"]
    mail.outbox.clear()
    link = re.search(r"https?://\S+/settings/privacy/export/\S+/", message.body)
    assert link is not None
    return urlsplit(link.group(0)).path


def test_the_zip_holds_each_of_my_rows_and_nobody_elses(django_capture_on_commit_callbacks):
    demo = demo_member()
    client = logged_in(demo.member)
    path = request_export(client, django_capture_on_commit_callbacks)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "private" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "README.md" in names
    assert {f"json/{key}.json" for key in SOURCES} <= names
    data = {key: json.loads(archive.read(f"json/{key}.json")) for key in SOURCES}
    everything = json.dumps(data, ensure_ascii=False) + archive.read("README.md").decode()

    profile = data["members.profile"][0]
    assert profile["email"] == "ada.lovelace@personal.example"
    assert profile["expertise"] == ["difference-engines"]
    assert profile["product_account"][0]["external_id"] == "product-ada-1815"
    assert [q["title"] for q in data["forum.questions"]] == ["Can engines compose music, by Ada?"]
    assert [a["body"] for a in data["forum.answers"]] == ["Notes by Ada: yes."]
    assert [c["body"] for c in data["forum.comments"]] == ["Comment from Ada here"]
    assert len(data["forum.votes"]) == 2
    assert len(data["forum.follows"]) == 2  # a question and an idea
    assert [i["title"] for i in data["ideas.ideas"]] == ["A loom for numbers"]
    assert len(data["ideas.votes"]) == 1
    assert len(data["members.notifications"]) == 1
    assert len(data["moderation.rules"]) == 1
    assert [f["note"] for f in data["moderation.flags"]] == ["Flag note written by Ada"]
    assert [s["reason"] for s in data["moderation.sanctions"]] == ["Be kind"]
    assert [a["text"] for a in data["moderation.appeals"]] == ["Appeal text Ada wrote"]
    assert len(data["ambassadors.invitations"]) == 1
    assert [a["motivation"] for a in data["ambassadors.applications"]] == [
        "Ada's motivation letter"
    ]
    assert len(data["analytics.letters"]) == 1
    assert data["members.sessions"][0]["ip"] == IP
    # the rest of issue 17's list: follows of people, referrals, and every other kind
    assert [f["followed_id"] for f in data["members.follows"]] == [demo.other.pk]
    referrals = data["ambassadors.referrals"]
    assert any(r.get("code") == "ADACODE1815" for r in referrals)
    assert sum(1 for r in referrals if r.get("invited_by_you") is False) == 1  # Charles's
    assert sum(1 for r in referrals if "status" in r and "invited_by_you" not in r) == 1
    assert [b["note"] for b in data["members.bookmarks"]] == ["Bookmark note Ada kept"]
    assert {"day": (date.today() - timedelta(days=3)).isoformat()} in data["members.activity"]
    assert [t["name"] for t in data["api.tokens"]] == ["Ada's engine token"]
    assert data["members.application"][0]["answers"][0]["answer"] == "Ada's reasons to join"
    assert data["members.sessions"][0]["user_agent"] == USER_AGENT
    assert "ada.lovelace@personal.example" in archive.read("README.md").decode()

    # nobody else's: not the bystander's posts, name, or address
    other = demo.other
    assert other.email not in everything
    assert other.username not in everything
    assert "Charles Babbage" not in everything


def test_the_link_refuses_other_members_and_visitors(django_capture_on_commit_callbacks):
    member = MemberFactory()
    path = request_export(logged_in(member), django_capture_on_commit_callbacks)
    for viewer in (MemberFactory(), ModeratorFactory(), MemberFactory(is_staff=True)):
        assert logged_in(viewer).get(path).status_code == 404
    visitor = Client().get(path)
    assert visitor.status_code == 302
    assert reverse("account_login") in visitor["Location"]
    assert logged_in(member).get(path).status_code == 200


def test_the_link_expires(django_capture_on_commit_callbacks, settings):
    member = MemberFactory()
    client = logged_in(member)
    path = request_export(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get(member=member)
    assert export.expires_at - export.ready_at == timedelta(hours=settings.VECHE_DATA_EXPORT_HOURS)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(path).status_code == 404
    data_export_sweep()
    assert DataExport.objects.get(pk=export.pk).archive is None


def test_a_request_the_broker_lost_is_built_by_the_sweep():
    member = MemberFactory()
    export = DataExport.objects.create(
        member=member, token="t" * 40, created_at=timezone.now() - timedelta(minutes=10)
    )
    assert data_export_sweep() == 1
    export.refresh_from_db()
    assert export.ready_at is not None and export.archive
    assert OutboundEmail.objects.filter(recipient=member).count() == 1
    assert data_export_sweep() == 0


@pytest.mark.parametrize("count", [2, 20])
def test_the_privacy_page_lists_my_exports_only(django_assert_num_queries, count):
    member = MemberFactory()
    other = MemberFactory()
    DataExport.objects.create(member=other, token="other-token-123")
    for number in range(count):
        DataExport.objects.create(member=member, token=f"mine-token-{number}")
    client = logged_in(member)
    # the session, the member, the exports (the latest five), the second factor and the
    # password (the delete form asks which to confirm with: the member's row is kept without
    # it, members.selectors.member_row), the community settings, "is a moderator?" (the
    # menu), and the first request of the day's activity (an UPDATE and an INSERT)
    with django_assert_num_queries(10):
        page = client.get(reverse("members:privacy")).content.decode()
    assert page.count("being prepared") == min(count, 5)
    assert "other-token-123" not in page
    assert Client().get(reverse("members:privacy")).status_code == 302
