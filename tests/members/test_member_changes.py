"""The signed-in member of a request is loaded from the database at every request: any change
to a member, through a save or a bulk update, a request or a job, is seen at their next
request; the daily "seen" mark and a log-in change nothing shared (config.cache scopes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.cache import SITE, versions
from members.models import Member
from members.services import notification_send
from moderation import services as moderation
from tests.factories import ModeratorFactory, logged_in
from tests.forum.factories import CategoryFactory, QuestionFactory
from tests.moderation.factories import current_rule

pytestmark = pytest.mark.django_db


def member_queries(client, url="/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code in (200, 302)
    return sum('FROM "members_member"' in q["sql"] for q in captured.captured_queries)


def test_the_daily_seen_mark_does_not_count_as_a_change(member):
    client = logged_in(member)  # (signing in saves the member)
    before = versions((SITE, "members"))
    client.get("/")
    member.refresh_from_db()
    assert member.last_seen is not None
    assert versions((SITE, "members")) == before
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
        client.get("/")
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_member_banned_from_a_job_is_signed_out_at_their_next_request(member):
    client = logged_in(member)
    client.get("/")
    client.get("/")
    rule = current_rule(1)
    moderation.member_ban(actor=ModeratorFactory(), member=member, rule=rule)  # no request
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
    assert 'aria-label="1 unread notification">1</span>' in client.get("/").content.decode()


def test_a_password_change_signs_out_the_other_sessions(member):
    client = logged_in(member)
    client.get("/")
    client.get("/")
    member.set_password("a-brand-new-pass-phrase")
    member.save()
    assert member.name not in client.get("/").content.decode()


def test_a_member_made_moderator_sees_the_inbox_link_at_their_next_request(member):
    from django.contrib.auth.models import Group

    from members.models import MODERATORS_GROUP

    client = logged_in(member)
    client.get("/")
    assert "/moderation/" not in client.get("/").content.decode()
    member.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    assert 'href="/moderation/"' in client.get("/").content.decode()
