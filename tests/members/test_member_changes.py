"""The signed-in member of a request comes from the cache (members.selectors.member_row, read
ahead with the request's other values), kept under their own scope: any change to a member,
through a save or a bulk update, a request or a job, is seen at their next request; the daily
"seen" mark and a log-in change nothing shared (config.cache scopes)."""

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from config.cache import SITE, versions
from members.models import Member, _named_pks, member_row_entry
from members.services import notification_send
from moderation import services as moderation
from tests.factories import PASSWORD, MemberFactory, ModeratorFactory, logged_in
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


def warm(client) -> None:
    client.get("/")
    client.get("/")  # the day's first visit wrote their row: read again once


def test_a_members_row_comes_from_the_cache_without_its_password(member):
    client = logged_in(member)
    warm(client)
    assert member_queries(client) == 0
    assert member.name in client.get("/").content.decode()
    stored = cache.get(member_row_entry(member.pk)[0])
    kept = stored[1]
    assert kept.pk == member.pk and "password" not in kept.__dict__
    assert member.password.encode() not in pickle.dumps(stored)  # what the cache holds


def test_a_suspension_from_a_job_signs_the_member_out_at_their_next_request(member):
    from datetime import timedelta

    client = logged_in(member)
    warm(client)
    moderation.member_suspend(
        actor=ModeratorFactory(), member=member, duration=timedelta(days=3), rule=current_rule(1)
    )
    html = client.get("/").content.decode()
    assert "Log in" in html and member.name not in html


def test_an_account_switched_off_is_signed_out_at_its_next_request(member):
    client = logged_in(member)
    warm(client)
    member.is_active = False
    member.save()
    assert member.name not in client.get("/").content.decode()


def test_a_member_made_staff_sees_the_staff_links_at_their_next_request(member):
    client = logged_in(member)
    warm(client)
    assert "/staff/analytics/" not in client.get("/").content.decode()
    Member.objects.filter(pk=member.pk).update(is_staff=True)
    assert 'href="/staff/analytics/"' in client.get("/").content.decode()


def test_changing_ones_own_password_keeps_one_signed_in(member):
    client = logged_in(member)
    warm(client)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-pass-42",
            "password2": "a-brand-new-pass-42",
        },
    )
    assert response.status_code == 302
    assert member.name in client.get("/").content.decode()
    member.refresh_from_db()
    assert member.check_password("a-brand-new-pass-42")


def test_a_notification_to_many_members_shows_in_each_header_at_once():
    """Over ``MEMBER_TOUCHES`` rows a bulk write touches every member's row at once."""
    members = MemberFactory.create_batch(25)
    clients = [logged_in(m) for m in members[:2]]
    for client in clients:
        warm(client)
    notification_send(recipients=members, kind="system", params={"title": "Maintenance"})
    for client in clients:
        assert 'aria-label="1 unread notification">1</span>' in client.get("/").content.decode()


def test_a_bulk_write_names_the_rows_it_changes():
    assert _named_pks(Member.objects.filter(pk=7).query) == [7]
    assert sorted(_named_pks(Member.objects.filter(pk__in=[3, 4]).query)) == [3, 4]
    assert _named_pks(Member.objects.filter(pk=7).filter(last_seen__isnull=True).query) == [7]
    assert _named_pks(Member.objects.filter(username="ann").query) is None
    assert _named_pks(Member.objects.exclude(pk=7).query) is None
    assert _named_pks(Member.objects.filter(Q(pk=7) | Q(username="ann")).query) is None


def test_a_bulk_write_without_named_rows_touches_the_rows_it_finds(member):
    client = logged_in(member)
    warm(client)
    Member.objects.filter(username=member.username).update(display_name="Renamed Ann")
    assert "Renamed Ann" in client.get("/").content.decode()


def test_the_request_carries_the_member_itself_not_a_lazy_stand_in(client):
    """Pages read ``user`` hundreds of times (every post asks whose it is): after the
    read-ahead the request holds the member, not Django's lazy object around it."""
    from django.contrib.auth.models import AnonymousUser

    member = MemberFactory()
    assert type(client.get("/").wsgi_request.user) is AnonymousUser
    client = logged_in(member)
    user = client.get("/").wsgi_request.user
    assert type(user) is Member and user.pk == member.pk
