"""The cross-links figure (connections between members) against a hand computation on a small
community: five members, a dozen interactions over two months, with duplicates, a reversed
pair, a self-answer, a hidden answer, a deleted question and an erased member. Runs on SQLite
and on PostgreSQL (``make test-pg``)."""

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics import services
from analytics.forms import date_range_from
from analytics.models import CrossLinkPeriod, RollupWatermark
from analytics.selectors.connections import connections_panel
from conversations.models import Message
from members.models import ActivityDay, MemberFollow, Mention
from tests.conversations.factories import add_message, conversation_between
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def at(month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, 12, 0))


@pytest.fixture
def community():
    a, b, c, d, e = (MemberFactory(username=name) for name in "abcde")
    x = MemberFactory(username="x")  # erased below: counts nowhere

    def question(author, when, **kwargs):
        return QuestionFactory(author=author, created_at=when, **kwargs)

    def answer(author, to, when, **kwargs):
        return AnswerFactory(author=author, question=to, created_at=when, **kwargs)

    def comment(author, on, when):
        return CommentFactory(author=author, target=on, created_at=when)

    def follow(who, whom, when):
        MemberFollow.objects.create(follower=who, followed=whom, created_at=when)

    # October (week of 19 October)
    answer(a, question(b, at(10, 20)), at(10, 20))  # A–B
    follow(c, a, at(10, 20))  # A–C
    # Sunday 1 November: week of 26 October, month of November
    follow(e, c, at(11, 1))  # C–E
    # week of 2 November
    q_b = question(b, at(11, 2))
    a_on_b = answer(a, q_b, at(11, 3))  # A–B
    comment(b, a_on_b, at(11, 3))  # B–A: the same pair reversed
    answer(a, question(b, at(11, 2)), at(11, 4))  # A–B again: still one pair
    q_a = question(a, at(11, 2))
    answer(a, q_a, at(11, 3))  # A answers themself: no pair
    comment(c, q_a, at(11, 4))  # A–C
    comment(d, IdeaFactory(author=a, created_at=at(11, 2)), at(11, 4))  # A–D
    follow(a, e, at(11, 5))  # A–E
    answer(b, question(c, at(11, 2)), at(11, 5), moderation_state="hidden")  # hidden: no pair
    answer(x, q_b, at(11, 5))  # X is erased: no pair
    # week of 9 November
    q_c = question(c, at(11, 9))
    b_on_c = answer(b, q_c, at(11, 10))  # B–C
    comment(c, b_on_c, at(11, 10))  # C–B: same pair
    follow(d, b, at(11, 11))  # B–D
    comment(e, question(d, at(11, 9)), at(11, 12))  # D–E
    comment(a, question(c, at(11, 9), deleted_at=at(11, 13)), at(11, 12))  # deleted: no pair
    # December, outside the periods built
    answer(e, question(a, at(12, 1)), at(12, 1))

    for member, days in {
        a: [(10, 20), (11, 3)],
        b: [(11, 3), (11, 10)],
        c: [(11, 4)],
        d: [(11, 11)],
        e: [(10, 20)],
        x: [(11, 5)],
    }.items():
        ActivityDay.objects.bulk_create(
            [ActivityDay(member=member, day=date(2026, m, day)) for m, day in days]
        )
    x.deleted_at = at(11, 20)
    x.save(update_fields=["deleted_at"])
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "x": x}


# By hand, with N = 3:
# - week of 19 Oct: pairs A–B, A–C (2); linked A, B, C (3); active A, E (2); with 3 links: 0
# - week of 26 Oct: C–E (1); linked C, E (2); nobody active
# - week of 2 Nov: A–B, A–C, A–D, A–E (4); linked A–E (5); active A, B, C (3, X erased);
#   A has 4 links: 1
# - week of 9 Nov: B–C, B–D, D–E (3); linked B, C, D, E (4); active B, D (2); nobody has 3: 0
# - October: A–B, A–C (2); linked 3; active A, E (2); 0
# - November: A–B, A–C, A–D, A–E, B–C, B–D, D–E, C–E (8); linked 5; active A, B, C, D (4);
#   links A 4, B 3, C 3, D 3, E 3: all four active ones: 4
EXPECTED = {
    ("week", date(2026, 10, 19)): (2, 3, 2, 0),
    ("week", date(2026, 10, 26)): (1, 2, 0, 0),
    ("week", date(2026, 11, 2)): (4, 5, 3, 1),
    ("week", date(2026, 11, 9)): (3, 4, 2, 0),
    ("month", date(2026, 10, 1)): (2, 3, 2, 0),
    ("month", date(2026, 11, 1)): (8, 5, 4, 4),
}


def stored() -> dict:
    return {
        (row.kind, row.start): (row.pairs, row.linked, row.active, row.active_linked_n)
        for row in CrossLinkPeriod.objects.all()
    }


def test_the_figures_match_the_hand_computation(community, settings):
    settings.VECHE_CROSSLINKS_MIN_LINKS = 3
    services.crosslinks_rebuild(since=date(2026, 10, 19), until=date(2026, 11, 15))
    assert stored() == EXPECTED
    assert set(CrossLinkPeriod.objects.values_list("min_links", flat=True)) == {3}


def test_the_threshold_is_a_setting(community, settings):
    settings.VECHE_CROSSLINKS_MIN_LINKS = 1
    services.crosslinks_rebuild(since=date(2026, 11, 2), until=date(2026, 11, 15))
    figures = stored()
    # every active member in a pair: A, B, C in the first week; B, D in the second
    assert figures["week", date(2026, 11, 2)][3] == 3
    assert figures["week", date(2026, 11, 9)][3] == 2


def test_a_rebuild_is_idempotent_and_the_nightly_job_fills_the_rows(community, settings):
    settings.VECHE_CROSSLINKS_MIN_LINKS = 3
    services.rollups_rebuild(since=date(2026, 10, 19), until=date(2026, 11, 15))
    services.rollups_rebuild(since=date(2026, 10, 19), until=date(2026, 11, 15))
    assert stored() == EXPECTED
    CrossLinkPeriod.objects.all().delete()
    RollupWatermark.objects.all().delete()
    services.rollups_update(today=date(2026, 11, 15))  # from the start of the history
    assert {k: v for k, v in stored().items() if k in EXPECTED} == EXPECTED


def dashboard(client, **params):
    return client.get(
        reverse("analytics:dashboard"),
        {"range": "custom", "start": "2026-11-01", "end": "2026-11-30", **params},
    )


def test_the_dashboard_shows_pairs_share_and_trend(community, staff_client, settings):
    settings.VECHE_CROSSLINKS_MIN_LINKS = 3
    services.crosslinks_rebuild(since=date(2026, 10, 1), until=date(2026, 11, 30))
    html = dashboard(staff_client).content.decode()
    assert 'id="panel-connections"' in html
    assert "Pairs of members who interacted" in html
    assert "Active members with at least 3 links" in html
    assert "100.0%" in html and "4 of 4 active" in html
    assert "+300.0%" in html  # 2 pairs in October, 8 in November
    assert 'id="chart-crosslinks"' in html and 'id="chart-crosslinks-share"' in html
    assert '<script src="http' not in html  # no CDN


def test_the_tables_export_as_csv(community, staff_client, settings):
    settings.VECHE_CROSSLINKS_MIN_LINKS = 3
    services.crosslinks_rebuild(since=date(2026, 10, 1), until=date(2026, 11, 30))
    query = {"range": "custom", "start": "2026-11-01", "end": "2026-11-30"}
    weekly = staff_client.get(reverse("analytics:table-csv", args=["crosslinks-weekly"]), query)
    assert weekly.status_code == 200
    rows = list(csv.reader(io.StringIO(weekly.content.decode())))
    assert rows[0][0] == "Week starting" and rows[0][-1] == "Share of active members (%)"
    assert rows[1:4] == [
        ["2026-10-26", "1", "2", "0", "0", ""],
        ["2026-11-02", "4", "5", "3", "1", "33.3"],
        ["2026-11-09", "3", "4", "2", "0", "0.0"],
    ]
    monthly = staff_client.get(reverse("analytics:table-csv", args=["crosslinks-monthly"]), query)
    assert list(csv.reader(io.StringIO(monthly.content.decode())))[1:] == [
        ["2026-11-01", "8", "5", "4", "4", "100.0"]
    ]


def test_only_staff_see_the_figure(community, member_client):
    assert dashboard(Client()).status_code == 302
    assert dashboard(member_client).status_code == 403
    csv_url = reverse("analytics:table-csv", args=["crosslinks-weekly"])
    assert member_client.get(csv_url).status_code == 403


def test_the_panel_reads_one_query(community, django_assert_num_queries, settings):
    services.crosslinks_rebuild(since=date(2026, 10, 1), until=date(2026, 11, 30))
    _form, period = date_range_from({"range": "custom", "start": "2026-10-01", "end": "2026-11-30"})
    with django_assert_num_queries(1):
        panel = connections_panel(period)
    assert len(panel.tables[0].rows) == 10 and len(panel.tables[1].rows) == 2


def _rebuild_queries(since: date) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.crosslinks_rebuild(since=since, until=date(2026, 11, 30))
    return len(queries.captured_queries)


def test_the_rebuild_reads_one_query_per_kind_of_period_however_long(community):
    services.crosslinks_rebuild(since=date(2026, 1, 1), until=date(2026, 11, 30))
    # weeks and months read (2), the old rows found and deleted (4), written (1), the
    # watermark (2), savepoints (4): the same for one month or eleven
    assert _rebuild_queries(date(2026, 11, 1)) == _rebuild_queries(date(2026, 1, 1)) <= 13
    assert CrossLinkPeriod.objects.filter(kind="month").count() == 11


def test_private_messages_link_their_writer_to_the_other_members(settings):
    """A writes to B, B answers (one pair); A writes in a group with C, D and E (A–C, A–D,
    A–E; C, D and E, who wrote nothing counted, are no pairs); a hidden message and one
    outside the week count nothing."""
    settings.VECHE_CROSSLINKS_MIN_LINKS = 3
    a, b, c, d, e = (MemberFactory(username=name) for name in "abcde")
    with_b = conversation_between(a, b)
    reply = add_message(with_b, b)
    group = conversation_between(a, c, d, e)
    hidden = add_message(group, e)
    later = add_message(group, c)
    Message.objects.update(created_at=at(11, 3))
    Message.objects.filter(pk=hidden.pk).update(moderation_state="hidden")
    Message.objects.filter(pk=later.pk).update(created_at=at(11, 20))
    assert reply.author == b
    for member in (a, b, c):
        ActivityDay.objects.create(member=member, day=date(2026, 11, 3))
    services.crosslinks_rebuild(since=date(2026, 11, 2), until=date(2026, 11, 8))
    # pairs A–B, A–C, A–D, A–E; linked 5; active A, B, C; A has 4 links
    assert stored()["week", date(2026, 11, 2)] == (4, 5, 3, 1)


def test_a_mention_that_told_someone_links_the_two_members(community, settings):
    """Mentions are a source: in the week of 9 November, D mentions C (a new pair) and B
    mentions C again (B–C is a pair already); E mentions themself (no pair)."""
    settings.VECHE_CROSSLINKS_MIN_LINKS = 3
    b, c, d, e = (community[name] for name in "bcde")
    for author, member in ((d, c), (b, c), (e, e)):
        post = QuestionFactory(author=author, created_at=at(11, 9))
        Mention.objects.create(author=author, member=member, post=post, created_at=at(11, 10))
    services.crosslinks_rebuild(since=date(2026, 11, 9), until=date(2026, 11, 15))
    # B–C, B–D, D–E and now C–D: 4 pairs; linked B, C, D, E; active B, D; D has 3 links.
    assert stored()["week", date(2026, 11, 9)] == (4, 4, 2, 1)
