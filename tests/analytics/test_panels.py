"""The support, ideas, moderation and referral figures on a hand-built data set, each checked
against a value worked out by hand in the comments. Skipped when an app's models are absent
(the panels then say so; see test_panels_name_missing_models)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from analytics import services
from analytics.forms import DateRange
from analytics.models import CohortRetention
from members.models import ActivityDay, Member
from tests.factories import MemberFactory

from .factories import member_joined

pytestmark = pytest.mark.django_db

HOUR = 3600.0
DAY = 24 * HOUR


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def last_30_days():
    today = timezone.localdate()
    return DateRange(today - timedelta(days=29), today)


@pytest.fixture
def category():
    Category = apps.get_model("forum.Category")
    return Category.objects.create(name="Billing", slug="billing-analytics")


# --- support ------------------------------------------------------------------------------


def test_support_figures_match_hand_counts(now, last_30_days, category):
    from analytics.selectors.content import support_figures

    Question = apps.get_model("forum.Question")
    Answer = apps.get_model("forum.Answer")
    Feedback = apps.get_model("forum.DeflectionFeedback")
    Faq = apps.get_model("forum.FaqEntry")
    asker, staff, helper = MemberFactory(), MemberFactory(is_staff=True), MemberFactory()
    t = now - timedelta(days=10)
    h = lambda n: t + timedelta(hours=n)  # noqa: E731

    def question(first=None, official=None, solved=None, created=t, **kw):
        return Question.objects.create(
            author=asker,
            category=category,
            title="Q",
            body="b",
            created_at=created,
            first_answered_at=first,
            official_answered_at=official,
            solved_at=solved,
            **kw,
        )

    def answer(q, author, at):
        return Answer.objects.create(
            question=q, author=author, body="a", created_at=at, is_official=author.is_staff
        )

    q1 = question(first=h(2), official=h(2), solved=h(5))  # staff first after 2 h
    q2 = question(first=h(4), official=h(30), solved=h(10))  # community first after 4 h
    q3 = question(first=h(30))  # community after 30 h
    question()  # unanswered, 10 days old
    q5 = question(first=h(1), official=h(1))  # staff after 1 h
    question(created=now - timedelta(days=100))  # unanswered, asked before the period
    question(created=t, deleted_at=now)  # deleted: not counted
    a1 = answer(q1, staff, h(2))
    a2 = answer(q2, helper, h(4))
    answer(q2, staff, h(30))
    answer(q3, helper, h(30))
    answer(q5, staff, h(1))
    Question.objects.filter(pk=q1.pk).update(accepted_answer=a1)
    Question.objects.filter(pk=q2.pk).update(accepted_answer=a2)
    faq = Faq.objects.create(category=category, title="F", slug="f", body="b")
    a, b, c = MemberFactory(), MemberFactory(), MemberFactory()
    Feedback.objects.bulk_create(
        [
            Feedback(question=q1, member=a, helpful=True, would_have_contacted_support=True),
            Feedback(question=q1, member=b, helpful=True, would_have_contacted_support=False),
            Feedback(question=q1, member=c, helpful=False, would_have_contacted_support=True),
            Feedback(faq_entry=faq, member=a, helpful=True, would_have_contacted_support=True),
            Feedback(faq_entry=faq, member=b, helpful=True, would_have_contacted_support=True),
            Feedback(faq_entry=faq, member=c, helpful=True),
            Feedback(
                faq_entry=faq,
                session_key="old",
                helpful=True,
                would_have_contacted_support=True,
                created_at=now - timedelta(days=60),
            ),
        ]
    )

    services.rollups_rebuild(since=last_30_days.start, until=last_30_days.end)
    f = support_figures(last_30_days)
    assert f["asked"] == 5
    assert f["within_24h"] == 3  # q1, q2, q5
    assert f["solved"] == 2
    # first answers 1, 2, 4, 30 h: median (2+4)/2 = 3 h; p90 at 2.7 → 4 + 0.7×26 = 22.2 h
    assert f["first_median"] == pytest.approx(3 * HOUR, abs=1)
    assert f["first_p90"] == pytest.approx(22.2 * HOUR, abs=1)
    # staff first: 1, 2 h → 1.5 h and 1 + 0.9×1 = 1.9 h; community: 4, 30 h → 17 h, 27.4 h
    assert f["staff_median"] == pytest.approx(1.5 * HOUR, abs=1)
    assert f["staff_p90"] == pytest.approx(1.9 * HOUR, abs=1)
    assert f["community_median"] == pytest.approx(17 * HOUR, abs=1)
    assert f["community_p90"] == pytest.approx(27.4 * HOUR, abs=1)
    assert f["accepted_median"] == pytest.approx(7.5 * HOUR, abs=1)  # 5 h and 10 h
    # backlog: the 10-day and the 100-day-old question → median age 55 days, oldest 100
    assert f["backlog"] == 2
    assert f["backlog_median_age"] == pytest.approx(55 * DAY, abs=5)
    assert f["backlog_oldest_age"] == pytest.approx(100 * DAY, abs=5)
    assert (f["staff"], f["community"]) == (3, 2)
    # yes votes: 2 on the solved question, 3 on the FAQ (the old one is outside the period);
    # would have contacted support: 1 + 2 = 3 of 5 questions asked
    assert (f["question_yes"], f["faq_yes"]) == (2, 3)
    assert f["deflected"] == 3
    assert f["deflection_ratio"] == pytest.approx(0.6)
    assert [(n, fast) for _week, n, fast in f["weekly"] if n] == [(5, 3)]


# --- ideas --------------------------------------------------------------------------------


def test_idea_funnel_votes_and_time_in_status(now, last_30_days, category):
    from analytics.selectors.content import ideas_figures

    Idea = apps.get_model("ideas.Idea")
    Vote = apps.get_model("ideas.IdeaVote")
    Change = apps.get_model("ideas.IdeaStatusChange")
    author = MemberFactory()
    t = now - timedelta(days=20)
    d = lambda n: t + timedelta(days=n)  # noqa: E731

    def idea(status):
        return Idea.objects.create(
            title="I",
            description="d",
            category=category,
            author=author,
            status=status,
            created_at=t,
        )

    def change(i, frm, to, at):
        Change.objects.create(idea=i, from_status=frm, to_status=to, note="n", at=at)

    idea("new")
    i2 = idea("planned")
    change(i2, "new", "under_review", d(2))
    change(i2, "under_review", "planned", d(5))
    i3 = idea("declined")
    change(i3, "new", "under_review", d(1))
    change(i3, "under_review", "declined", d(4))
    voters = [MemberFactory() for _ in range(4)]
    for voter in voters:
        Vote.objects.create(idea=i2, member=voter, created_at=d(3))
    Vote.objects.create(idea=i3, member=voters[0], created_at=now - timedelta(days=60))

    services.rollups_rebuild(since=last_30_days.start, until=last_30_days.end)
    f = ideas_figures(last_30_days)
    funnel = f["funnel"]
    assert funnel["submitted"] == 3
    assert (
        funnel["reached_new"],
        funnel["reached_under_review"],
        funnel["reached_planned"],
        funnel["reached_shipped"],
        funnel["reached_declined"],
    ) == (3, 2, 1, 0, 1)
    assert f["votes"] == 4
    # left "new" after 2 and 1 days → 1.5 days; "under review" after 3 and 3 days → 3 days
    assert f["medians"]["new"] == pytest.approx(1.5 * DAY, abs=1)
    assert f["medians"]["under_review"] == pytest.approx(3 * DAY, abs=1)
    assert f["medians"]["planned"] is None


# --- moderation ---------------------------------------------------------------------------


def test_moderation_figures_match_hand_counts(now, last_30_days, monkeypatch):
    from analytics.selectors.content import moderation_figures
    from moderation.registry import Queue

    Flag = apps.get_model("moderation.Flag")
    QueueItem = apps.get_model("moderation.QueueItem")
    Audit = apps.get_model("moderation.AuditLogEntry")
    Sanction = apps.get_model("moderation.Sanction")
    Document = apps.get_model("moderation.Document")
    Version = apps.get_model("moderation.DocumentVersion")
    Rule = apps.get_model("moderation.Rule")
    QueueItem.objects.all().delete()
    monkeypatch.setattr(
        "moderation.registry.QUEUES",
        {
            "analytics-test": Queue("analytics-test", "Test queue", target_age=timedelta(hours=24)),
        },
    )
    from analytics.selectors import content
    from moderation import registry

    QUEUES = registry.QUEUES
    doc = Document.objects.create(slug="analytics-rules", title="Rules")
    version = Version.objects.create(document=doc, number=1)
    r1 = Rule.objects.create(version=version, number=1, title="Be kind")
    r2 = Rule.objects.create(version=version, number=2, title="No spam")
    offender, other, once = MemberFactory(), MemberFactory(), MemberFactory()
    member_type = ContentType.objects.get_for_model(Member)
    flaggers = [MemberFactory() for _ in range(5)]
    t = now - timedelta(days=5)
    Flag.objects.bulk_create(
        [
            Flag(
                flagger=f,
                target_type=member_type,
                target_id=offender.pk,
                member=offender,
                rule=r2,
                created_at=t,
            )
            for f in flaggers[:3]
        ]
        + [
            Flag(
                flagger=flaggers[3],
                target_type=member_type,
                target_id=other.pk,
                rule=r1,
                created_at=t,
            ),
            Flag(
                flagger=flaggers[4],
                target_type=member_type,
                target_id=other.pk,
                rule=r1,
                created_at=now - timedelta(days=90),
            ),
        ]
    )

    def item(target, created, resolved=None):
        QueueItem.objects.create(
            queue="analytics-test",
            target_type=member_type,
            target_id=target.pk,
            created_at=created,
            resolved_at=resolved,
        )

    item(offender, now - timedelta(hours=2))
    item(other, now - timedelta(hours=30))  # over the 24 h target
    item(once, t, t + timedelta(hours=2))
    item(flaggers[0], t, t + timedelta(hours=6))
    Audit.objects.create(action="flag_upheld", created_at=t)
    Audit.objects.create(action="flag_upheld", created_at=t)
    Audit.objects.create(action="sanction_apply", created_at=t)
    Sanction.objects.bulk_create(
        [
            Sanction(member=offender, kind="warn", created_at=t),
            Sanction(member=offender, kind="silence", created_at=t + timedelta(days=1)),
            Sanction(member=once, kind="warn", created_at=t),
            Sanction(member=other, kind="warn", created_at=t),
            Sanction(member=other, kind="warn", created_at=now - timedelta(days=90)),
        ]
    )

    f = moderation_figures(last_30_days)
    assert f["flags"] == 4
    assert f["per_rule"] == [(2, "No spam", 3), (1, "Be kind", 1)]
    assert [(q, n, late) for q, n, _oldest, late in f["backlog"]] == [("analytics-test", 2, 1)]
    assert f["resolve_median"] == pytest.approx(4 * HOUR, abs=1)  # 2 h and 6 h
    QUEUES["analytics-empty"] = Queue("analytics-empty", "Empty queue", order=99)
    rows = content._queue_rows(moderation_figures(last_30_days))
    assert [(row[0], row[1], row[4]) for row in rows] == [
        ("Test queue", 2, 1),
        ("Empty queue", 0, 0),
    ]
    assert f["actions"] == [("flag_upheld", 2), ("sanction_apply", 1)]
    assert [(u, n) for u, _d, n, _l in f["repeat"]] == [(offender.username, 2)]


# --- referrals ----------------------------------------------------------------------------


def test_referral_funnel_top_referrers_and_their_members_retention(now):
    from analytics.selectors.content import referral_figures

    Referral = apps.get_model("ambassadors.Referral")
    Click = apps.get_model("ambassadors.ReferralClick")
    Stats = apps.get_model("ambassadors.ReferrerStats")
    today = timezone.localdate()
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    r1, r2 = member_joined(d(50), username="alpha"), member_joined(d(50), username="bravo")
    Click.objects.bulk_create(
        [Click(referrer=r1, visitor=f"v{i}", day=d(i)) for i in range(5)]
        + [Click(referrer=r2, visitor=f"w{i}", day=d(i)) for i in range(2)]
        + [Click(referrer=r1, visitor="old", day=d(200))]
    )
    m1 = member_joined(d(50), active=[d(50), d(15)])  # active 35 days after joining
    m2 = member_joined(d(50), active=[d(47)])  # gone after 3 days
    m3 = member_joined(d(10), active=[d(10)])  # joined too recently to count
    m4 = member_joined(d(40), active=[d(10)])  # active exactly 30 days after joining
    for referrer, member, status in (
        (r1, m1, "qualified"),
        (r1, m2, "pending"),
        (r1, m3, "qualified"),
        (r2, m4, "qualified"),
    ):
        Referral.objects.create(
            referrer=referrer, referred=member, status=status, created_at=member.date_joined
        )
    Stats.objects.create(member=r1, ambassador_since=now - timedelta(days=5))
    Stats.objects.create(member=r2)

    f = referral_figures(DateRange(d(89), today))
    assert (f["clicks"], f["signups"], f["qualified"], f["new_ambassadors"]) == (7, 4, 3, 1)
    # alpha: 3 sign-ups, 2 qualified, 2 old enough (m1, m2), 1 stayed; bravo: 1, 1, 1, 1
    assert [row[0] for row in f["top"]] == ["alpha", "bravo"]
    assert [row[2:] for row in f["top"]] == [(3, 2, 2, 1), (1, 1, 1, 1)]

    services.rollups_update(today=today)
    referred = CohortRetention.objects.filter(segment="referred", week=0)
    assert sum(referred.values_list("cohort_size", flat=True)) == 4
    organic = CohortRetention.objects.filter(segment="organic", week=0)
    assert sum(organic.values_list("cohort_size", flat=True)) == 2  # alpha and bravo


def test_every_panel_renders_for_staff(staff_client):
    response = staff_client.get("/staff/analytics/")
    html = response.content.decode()
    for title in ("Support", "Ideas", "Moderation", "Referrals"):
        assert f">{title}</h2>" in html
    assert "Not available" not in html
    assert 'id="chart-support"' in html


def test_activity_days_helper_sanity():
    assert ActivityDay.objects.count() == 0


def test_creators_contributors_and_readers_split_the_monthly_actives(now, category):
    from analytics.selectors.members import activity_panel

    Question, Answer = apps.get_model("forum.Question"), apps.get_model("forum.Answer")
    Idea, Vote = apps.get_model("ideas.Idea"), apps.get_model("ideas.IdeaVote")
    today = timezone.localdate()
    recent = [today - timedelta(days=2)]
    asker, answerer, voter, reader = (
        member_joined(today - timedelta(days=40), active=recent) for _ in range(4)
    )
    question = Question.objects.create(author=asker, category=category, title="Q", body="b")
    Answer.objects.create(question=question, author=answerer, body="a")
    old_idea = Idea.objects.create(
        title="I",
        description="d",
        category=category,
        author=voter,
        created_at=now - timedelta(days=60),
    )
    Vote.objects.create(idea=old_idea, member=voter)
    services.rollups_update(today=today)
    panel = activity_panel(DateRange(today - timedelta(days=6), today))
    values = {f.label: f.value for f in panel.figures}
    # MAU 4: the asker created; the answerer and the voter contributed; one only read
    assert values["Creators / contributors / readers (last 30 days)"] == "1 / 2 / 1"
