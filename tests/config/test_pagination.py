import pytest
from django.core.paginator import Paginator

from config.cache import counted
from config.pagination import KnownCountPaginator
from members.models import Expertise
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_cached_count_is_reused_and_invalidated_by_a_new_row(django_assert_num_queries):
    member = MemberFactory()
    Expertise.objects.create(member=member, tag_slug="a")
    qs = Expertise.objects.order_by("id")
    assert counted(qs, ("members",)) == 1
    with django_assert_num_queries(0):
        assert counted(qs, ("members",)) == 1
    Expertise.objects.create(member=member, tag_slug="b")  # touches "members" (members.receivers)
    assert counted(qs, ("members",)) == 2
    Expertise.objects.filter(tag_slug="a").first().delete()
    assert counted(qs, ("members",)) == 1


def test_different_filters_have_different_counts():
    member = MemberFactory()
    Expertise.objects.create(member=member, tag_slug="a")
    Expertise.objects.create(member=member, tag_slug="b")
    base = Expertise.objects.order_by("id")
    assert counted(base.filter(tag_slug="a"), ()) == 1
    assert counted(base, ()) == 2
    assert Paginator(base, 10).count == 2


def test_question_list_total_follows_a_new_question(client):
    from tests.forum.factories import QuestionFactory

    QuestionFactory.create_batch(21)
    assert "Page 1 of 2" in client.get("/questions/").content.decode()
    QuestionFactory.create_batch(20)
    assert "Page 1 of 3" in client.get("/questions/").content.decode()


def test_a_known_count_paginator_runs_no_count_query(django_assert_num_queries):
    member = MemberFactory()
    for slug in "abc":
        Expertise.objects.create(member=member, tag_slug=slug)
    with django_assert_num_queries(1):  # the page's rows only
        page = KnownCountPaginator(Expertise.objects.order_by("id"), 2, count=3).get_page(2)
        assert [e.tag_slug for e in page.object_list] == ["c"]
    assert page.paginator.num_pages == 2 and not page.has_next()
