"""The signed-in member of a request comes from this process's snapshot while the site
generation holds (members.backends): any change to a member, through a save or a bulk
update, a request or a job, is seen at their next request."""

import pytest
from config.pagecache import site_changed, site_generation
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from members.services import notification_send
from moderation import services as moderation
from tests.factories import MemberFactory, ModeratorFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def member_queries(client, url="/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code in (200, 302)
    return sum('FROM "members_member"' in q["sql"] for q in captured.captured_queries)


def test_a_members_requests_load_them_once_until_something_changes(member):
    client = logged_in(member)
    client.get("/")  # marks the day as seen, which makes the next request load them afresh
    assert member_queries(client) == 1
    assert member_queries(client) == 0
    Member.objects.filter(pk=member.pk).update(display_name="Renamed in bulk")
    assert member_queries(client) == 1
    assert "Renamed in bulk" in client.get("/").content.decode()


def test_the_daily_seen_mark_does_not_count_as_a_change(member):
    client = logged_in(member)  # (signing in saves the member)
    before = site_generation()
    client.get("/")
    member.refresh_from_db()
    assert member.last_seen is not None
    assert site_generation() == before
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
        client.get("/")
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_member_banned_from_a_job_is_signed_out_at_their_next_request(member):
    client = logged_in(member)
    client.get("/")
    client.get("/")
    moderation.member_ban(actor=ModeratorFactory(), member=member)  # no request around it
    html = client.get("/").content.decode()
    assert "Log in" in html and member.name not in html


def test_a_badge_granted_in_bulk_opens_the_private_categories_at_once(member):
    question = QuestionFactory(category=CategoryFactory(ambassadors_only=True))
    client = logged_in(member)
    assert client.get(question.get_absolute_url()).status_code == 403
    Member.objects.filter(pk=member.pk).update(badge="ambassador")
    assert client.get(question.get_absolute_url()).status_code == 200


def test_a_notification_sent_by_a_job_shows_in_the_header_at_once(member):
    client = logged_in(member)
    client.get("/")
    assert 'class="count"' not in client.get("/").content.decode()
    notification_send(recipients=[member], kind="system", params={"title": "Maintenance"})
    assert 'aria-label="unread">1</span>' in client.get("/").content.decode()


def test_a_password_change_signs_out_the_other_sessions(member):
    client = logged_in(member)
    client.get("/")
    client.get("/")
    member.set_password("a-brand-new-pass-phrase")
    member.save()
    assert member.name not in client.get("/").content.decode()


def test_each_request_gets_its_own_copy(member):
    from members.backends import MemberAuthenticationBackend

    backend = MemberAuthenticationBackend()
    first, second = backend.get_user(member.pk), backend.get_user(member.pk)
    assert first == second and first is not second
    first._request_memo = True
    first.display_name = "Changed on one request only"
    assert not hasattr(second, "_request_memo")
    assert backend.get_user(member.pk).display_name == member.display_name


def test_a_change_bumps_again_when_its_transaction_commits(django_capture_on_commit_callbacks):
    before = site_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        site_changed()
        site_changed()
        MemberFactory()
    assert len(callbacks) == 1  # once per transaction, however many changes
    during = site_generation()
    assert during != before
    callbacks[0]()
    assert site_generation() != during


def test_a_member_made_moderator_sees_the_inbox_link_at_their_next_request(member):
    from django.contrib.auth.models import Group

    from members.models import MODERATORS_GROUP

    client = logged_in(member)
    client.get("/")
    assert "/moderation/" not in client.get("/").content.decode()
    member.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    assert 'href="/moderation/"' in client.get("/").content.decode()
