"""The summary e-mail (issue 19, point 2): sent once per period only to absent members, never
to those who unsubscribed, with only what they may see, in their language; tested with a
moved clock (the services take ``now``, as the other sweeps do); a member who returns
through it counts once."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import TopicWatch
from members import services_summary
from members.models import ActivityDay, Member, OutboundEmail, SummaryEmail
from members.services import activity_record
from members.services_summary import summary_figures, summary_send
from moderation.content import ModerationState
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db

# A Wednesday at 07:00: the weekly period is the week from Monday the 5th.
NOW = timezone.make_aware(timezone.datetime(2031, 3, 5, 7, 0))


def _away(days: int = 10, **fields) -> Member:
    member = MemberFactory(**fields)
    Member.objects.filter(pk=member.pk).update(
        last_seen=timezone.localdate(NOW) - timedelta(days=days),
        date_joined=NOW - timedelta(days=60),
    )
    member.refresh_from_db()
    return member


def _quiet() -> Member:
    """An author who gets no summaries: only the members a test looks at do."""
    return MemberFactory(summary_frequency="never")


def _question(title: str, *, at=NOW - timedelta(days=1), **fields):
    fields.setdefault("author", _quiet())
    return QuestionFactory(title=title, created_at=at, **fields)


def _mails(member) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(recipient=member, kind="summary").order_by("id"))


def test_an_absent_member_gets_one_summary_per_week_while_away():
    member = _away()
    _question("Rotating API keys without downtime")
    assert summary_send(now=NOW) == 1
    (email,) = _mails(member)
    assert "Rotating API keys without downtime" in email.body
    assert email.subject == "What you missed in the community"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reverse("members:unsubscribe", args=["x"])[:-2] in email.headers["List-Unsubscribe"]
    # The same week again, later that week: nothing more.
    assert summary_send(now=NOW) == 0
    assert summary_send(now=NOW + timedelta(days=3)) == 0
    # The next week, still away, something new: the next one.
    _question("Exporting invoices as CSV", at=NOW + timedelta(days=6))
    assert summary_send(now=NOW + timedelta(days=7)) == 1
    assert len(_mails(member)) == 2
    assert SummaryEmail.objects.filter(member=member).count() == 2


def test_members_who_visit_get_none_and_a_return_stops_them():
    regular = _away(days=2)  # seen this week
    away = _away()
    _question("A question while they were away")
    assert summary_send(now=NOW) == 1
    assert _mails(regular) == [] and len(_mails(away)) == 1
    # The absent member comes back the next week: no summary that week.
    activity_record(member=away, day=timezone.localdate(NOW) + timedelta(days=5))
    _question("Another question", at=NOW + timedelta(days=6))
    summary_send(now=NOW + timedelta(days=7))
    assert len(_mails(away)) == 1


def test_a_member_with_nothing_new_gets_no_empty_summary():
    _away()
    assert summary_send(now=NOW) == 0
    assert not SummaryEmail.objects.exists()


def test_daily_members_get_one_a_day_while_away():
    member = _away(summary_frequency="daily")
    _question("First day question", at=NOW - timedelta(hours=3))
    assert summary_send(now=NOW) == 1
    assert summary_send(now=NOW + timedelta(hours=5)) == 0
    _question("Second day question", at=NOW + timedelta(hours=20))
    assert summary_send(now=NOW + timedelta(days=1)) == 1
    assert len(_mails(member)) == 2
    assert "Second day question" in _mails(member)[1].body
    assert "First day question" not in _mails(member)[1].body


def test_one_click_unsubscribe_and_never_stop_it():
    member, never = _away(), _away(summary_frequency="never")
    _question("Something to read")
    assert summary_send(now=NOW) == 1
    assert _mails(never) == []
    unsubscribe = _mails(member)[0].headers["List-Unsubscribe"].strip("<>")
    page = Client().get(unsubscribe)
    assert page.status_code == 200 and "the summary e-mail" in page.content.decode()
    assert Client().post(unsubscribe).status_code == 200  # RFC 8058 one-click
    member.refresh_from_db()
    assert member.summary_frequency == "never"
    _question("Something else to read", at=NOW + timedelta(days=6))
    assert summary_send(now=NOW + timedelta(days=7)) == 0


def test_the_setting_is_on_the_settings_page():
    member = MemberFactory()
    client = logged_in(member)
    page = client.get(reverse("members:settings")).content.decode()
    assert 'name="prefs-summary_frequency"' in page
    response = client.post(
        reverse("members:settings-preferences"), {"prefs-summary_frequency": "daily"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.summary_frequency == "daily"
    bad = client.post(
        reverse("members:settings-preferences"), {"prefs-summary_frequency": "hourly"}
    )
    assert bad.status_code == 400
    member.refresh_from_db()
    assert member.summary_frequency == "daily"


def test_only_what_the_member_may_see(django_assert_max_num_queries):
    member, ambassador = _away(), _away(badge="ambassador")
    lounge = CategoryFactory(ambassadors_only=True)
    _question("Public question anyone may read")
    _question("Held question awaiting approval", moderation_state=ModerationState.HELD)
    _question("Hidden question by moderators", moderation_state=ModerationState.HIDDEN)
    _question("Deleted question", deleted_at=NOW - timedelta(hours=1))
    _question("Ambassador lounge question", category=lounge)
    _question("My own question", author=member)
    IdeaFactory(
        title="A public idea for the board", created_at=NOW - timedelta(days=1), author=_quiet()
    )
    IdeaFactory(
        title="A held idea",
        created_at=NOW - timedelta(days=1),
        moderation_state=ModerationState.HELD,
        author=_quiet(),
    )
    assert summary_send(now=NOW) == 2
    body = _mails(member)[0].body
    assert "Public question anyone may read" in body and "A public idea for the board" in body
    for secret in (
        "Held question",
        "Hidden question",
        "Deleted question",
        "Ambassador lounge",
        "My own question",
        "A held idea",
    ):
        assert secret not in body
    assert "Ambassador lounge question" in _mails(ambassador)[0].body


def test_solved_questions_and_watched_topics_come_first(monkeypatch):
    monkeypatch.setattr(services_summary, "PER_SOURCE", 1)
    member = _away()
    tag = TagFactory(slug="watched")
    TopicWatch.objects.create(member=member, tag=tag, level="tracking")
    _question("Popular question elsewhere", score=50)
    _question("Quiet question in a watched tag", tags=[tag])
    solved = _question("A question solved this week", at=NOW - timedelta(days=20))
    answer = AnswerFactory(question=solved, author=_quiet())
    solved.accepted_answer, solved.solved_at = answer, NOW - timedelta(days=1)
    solved.save()
    assert summary_send(now=NOW) == 1
    body = _mails(member)[0].body
    assert "Quiet question in a watched tag" in body
    assert "Popular question elsewhere" not in body
    assert "Questions solved" in body and "A question solved this week" in body


def test_the_summary_is_in_russian_for_a_russian_member():
    member = _away(preferred_language="ru")
    _question("Вопрос о ключах API")
    assert summary_send(now=NOW) == 1
    email = _mails(member)[0]
    assert email.subject == "Что нового в сообществе, пока вас не было"
    assert "Новые вопросы" in email.body and "Отписаться от этих писем:" in email.body


def _first_link(email: OutboundEmail) -> str:
    match = re.search(r"https?://\S+\?from=summary&s=\S+", email.body)
    assert match is not None
    return match.group(0)


def test_a_return_through_the_summary_counts_once():
    member = _away()
    _question("Come back and read this")
    summary_send(now=NOW)
    link = _first_link(_mails(member)[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = logged_in(member)
    assert client.get(f"/{path}").status_code == 200
    summary = SummaryEmail.objects.get()
    first = summary.opened_at
    assert first is not None
    assert client.get(f"/{path}").status_code == 200
    Client().get(f"/{path}")  # the same link again, even from another browser
    summary.refresh_from_db()
    assert summary.opened_at == first
    # A forged or changed signature counts nothing.
    other = _away()
    _question("More to read", at=NOW - timedelta(hours=2))
    summary_send(now=NOW)
    forged = SummaryEmail.objects.get(member=other)
    Client().get(f"/questions/?from=summary&s={forged.pk}:forged")
    forged.refresh_from_db()
    assert forged.opened_at is None
    weeks = summary_figures(today=timezone.localdate())
    sent_week = [w for w in weeks if w.sent]
    # Sent on the moved clock's week, outside the last 12 weeks of today: counted by its own.
    assert sent_week == [] or sent_week[0].opened == 1


def test_staff_figures_count_sent_opened_and_came_back():
    today = timezone.localdate()
    opened, returned, silent = _away(), _away(), _away()
    sent_at = timezone.now() - timedelta(days=1)
    for member in (opened, returned, silent):
        SummaryEmail.objects.create(
            member=member,
            frequency="weekly",
            period=today,
            sent_at=sent_at,
            items=3,
            opened_at=sent_at + timedelta(hours=1) if member is opened else None,
        )
    ActivityDay.objects.create(member=opened, day=today)
    ActivityDay.objects.create(member=returned, day=today)
    ActivityDay.objects.create(member=silent, day=today - timedelta(days=3))  # before it
    week = summary_figures(today=today)[0]
    assert (week.sent, week.opened, week.came_back) == (3, 1, 2)


def test_the_staff_page_is_for_staff_only(staff):
    url = reverse("members:summary-figures")
    assert logged_in(staff).get(url).status_code == 200
    assert logged_in(MemberFactory()).get(url).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_beat_task_runs():
    from members.tasks import summary_send_task

    assert summary_send_task.apply().get() == 0
