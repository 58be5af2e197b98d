from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import ActivityDay
from members.services import activity_record

pytestmark = pytest.mark.django_db


def test_a_request_records_one_activity_day(member_client, member):
    member_client.get(reverse("members:directory"))
    member_client.get(reverse("members:directory"))
    assert ActivityDay.objects.filter(member=member).count() == 1
    member.refresh_from_db()
    assert member.last_seen == timezone.localdate()


def test_second_activity_on_the_same_day_costs_no_query(member, django_assert_num_queries):
    assert activity_record(member=member) is True
    with django_assert_num_queries(0):
        assert activity_record(member=member) is False


def test_a_stale_member_object_does_not_write_twice(member, django_assert_max_num_queries):
    from members.models import Member

    day = date(2026, 1, 5)
    stale = Member.objects.get(pk=member.pk)
    activity_record(member=member, day=day)
    activity_record(member=stale, day=day)  # another process's copy: conditional update no-ops
    assert ActivityDay.objects.filter(member=member).count() == 1
    activity_record(member=member, day=day + timedelta(days=1))
    assert ActivityDay.objects.filter(member=member).count() == 2


def test_anonymous_requests_record_nothing(client):
    client.get("/")
    assert ActivityDay.objects.count() == 0
