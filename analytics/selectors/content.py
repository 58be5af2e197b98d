"""Panels over the other apps' data: support (Q&A, FAQ), ideas, moderation and referrals.

Analytics is the top layer: it imports the models it reads from the apps below it.
"""

from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ambassadors.models import Referral, ReferralClick, ReferrerStats
from analytics.aggregates import EpochSeconds, percentiles, seconds_between
from analytics.charts import Chart, Series
from analytics.forms import DateRange
from analytics.models import DailyActiveCount
from analytics.services import day_start
from forum.models import AskVisit, DeflectionFeedback, Question
from ideas.models import Idea, IdeaStatus, IdeaStatusChange
from members.models import ActivityDay, Member
from moderation import registry
from moderation.filters import ACTIONS
from moderation.models import AuditLogEntry, Flag, QueueItem, Sanction

from .base import (
    Figure,
    Panel,
    Table,
    hours,
    hours_cell,
    hours_column,
    pct,
    pct_cell,
    percent_column,
    register_panel,
    share,
)

PUBLISHED = "published"
DAY = 86400.0


def _bounds(r: DateRange) -> tuple[datetime, datetime]:
    return day_start(r.start), day_start(r.end + timedelta(days=1))


# --- support ------------------------------------------------------------------------------


def support_figures(r: DateRange) -> dict:
    """The support figures as numbers (seconds for durations), for the panel and the tests."""
    start, end = _bounds(r)
    now = timezone.now()
    visible = Question.objects.filter(moderation_state=PUBLISHED, deleted_at__isnull=True)
    asked = visible.filter(created_at__gte=start, created_at__lt=end)
    first = seconds_between(F("created_at"), F("first_answered_at"))
    staff_first = Q(first_answered_at=F("official_answered_at"))
    community_first = Q(first_answered_at__isnull=False) & (
        Q(official_answered_at__isnull=True) | Q(first_answered_at__lt=F("official_answered_at"))
    )
    # 1 on PostgreSQL (counts, medians and 90th percentiles in one scan of the questions
    # asked in the period); on SQLite 1 + 2 per percentile
    stats = percentiles(
        asked,
        {
            "first_median": (first, 0.5),
            "first_p90": (first, 0.9),
            "staff_median": (first, 0.5, staff_first),
            "staff_p90": (first, 0.9, staff_first),
            "community_median": (first, 0.5, community_first),
            "community_p90": (first, 0.9, community_first),
            "accepted_median": (
                seconds_between(F("created_at"), F("solved_at")),
                0.5,
                Q(solved_at__isnull=False),
            ),
        },
        also={
            "asked": Count("id"),
            "within_24h": Count(
                "id", filter=Q(first_answered_at__lte=F("created_at") + timedelta(hours=24))
            ),
            "answered": Count("id", filter=Q(first_answered_at__isnull=False)),
            "solved": Count("id", filter=Q(accepted_answer__isnull=False)),
        },
    )
    # 2: the unanswered backlog now (whenever asked): size, oldest and median age (now minus
    # the median creation time: the median is symmetric)
    open_questions = visible.filter(first_answered_at__isnull=True, closed_at__isnull=True)
    backlog = percentiles(
        open_questions,
        {"created": (EpochSeconds(F("created_at")), 0.5)},
        also={"n": Count("id"), "oldest": Min("created_at")},
    )
    age = {
        "backlog_median_age": now.timestamp() - backlog["created"]
        if backlog["created"] is not None
        else None
    }
    # 3-4: answers in all, questions per week, from the daily rollup
    rollup = DailyActiveCount.objects.filter(day__gte=r.start, day__lte=r.end)
    answers = rollup.aggregate(
        staff=Coalesce(Sum("staff_answers"), 0), community=Coalesce(Sum("community_answers"), 0)
    )
    weekly = list(
        rollup.annotate(week=TruncWeek("day"))
        .values_list("week")
        .annotate(n=Sum("questions"), fast=Sum("answered_24h"))
        .order_by("week")
    )
    # 5: "did this answer your question" feedback given in the period
    feedback = DeflectionFeedback.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).aggregate(
        question_yes=Count("id", filter=Q(question__isnull=False, helpful=True)),
        faq_yes=Count("id", filter=Q(faq_entry__isnull=False, helpful=True)),
        question_deflected=Count(
            "id", filter=Q(question__isnull=False, helpful=True, would_have_contacted_support=True)
        ),
        faq_deflected=Count(
            "id", filter=Q(faq_entry__isnull=False, helpful=True, would_have_contacted_support=True)
        ),
    )
    deflected = feedback["question_deflected"] + feedback["faq_deflected"]
    # 6: visits to the ask form that showed suggestions, and what the member did next
    suggestions = AskVisit.objects.filter(shown_at__gte=start, shown_at__lt=end).aggregate(
        shown=Count("id"),
        opened_left=Count("id", filter=Q(opened_at__isnull=False, posted_at__isnull=True)),
        opened_asked=Count("id", filter=Q(opened_at__isnull=False, posted_at__isnull=False)),
        unopened_asked=Count("id", filter=Q(opened_at__isnull=True, posted_at__isnull=False)),
        unopened_left=Count("id", filter=Q(opened_at__isnull=True, posted_at__isnull=True)),
    )
    return {
        **stats,
        **answers,
        **feedback,
        **age,
        "backlog": backlog["n"],
        "backlog_oldest_age": (now - backlog["oldest"]).total_seconds()
        if backlog["oldest"]
        else None,
        "deflected": deflected,
        "weekly": [
            (timezone.localtime(w).date() if hasattr(w, "hour") else w, n, fast)
            for w, n, fast in weekly
        ],
        "deflection_ratio": share(deflected, stats["asked"]),
        "suggestions": suggestions,
    }


@register_panel("support", ["support-response", "support-weekly", "ask-suggestions"])
def support_panel(r: DateRange) -> Panel:
    title = _("Support")
    f = support_figures(r)
    suggestions = f["suggestions"]
    figures = [
        Figure(_("Questions asked"), f["asked"]),
        Figure(_("Answered within 24 hours"), pct(share(f["within_24h"], f["asked"]))),
        Figure(_("Solved (an answer accepted)"), pct(share(f["solved"], f["asked"]))),
        Figure(
            _("Median time to first answer"),
            hours(f["first_median"]),
            _("90th percentile: %(p90)s") % {"p90": hours(f["first_p90"])},
        ),
        Figure(_("Median time to an accepted answer"), hours(f["accepted_median"])),
        Figure(
            _("Unanswered backlog"),
            f["backlog"],
            _("median age %(median)s, oldest %(oldest)s")
            % {"median": hours(f["backlog_median_age"]), "oldest": hours(f["backlog_oldest_age"])},
        ),
        Figure(_("Answers by staff / by the community"), f"{f['staff']} / {f['community']}"),
        Figure(
            _("“Did this answer your question?” yes — solved questions / FAQ"),
            f"{f['question_yes']} / {f['faq_yes']}",
        ),
        Figure(
            _("Would have contacted support (deflected)"),
            f["deflected"],
            _("%(ratio)s of questions asked") % {"ratio": pct(f["deflection_ratio"])},
        ),
        Figure(
            _("Asks deflected by suggestions"),
            pct(share(suggestions["opened_left"], suggestions["shown"])),
            _("%(n)s of %(shown)s visits to the ask form with suggestions: opened one, did not ask")
            % {"n": suggestions["opened_left"], "shown": suggestions["shown"]},
        ),
    ]
    outcomes = [
        (_("Opened a suggestion, then left without asking (deflected)"), "opened_left"),
        (_("Opened a suggestion, then asked"), "opened_asked"),
        (_("Asked without opening a suggestion"), "unopened_asked"),
        (_("Left without opening a suggestion"), "unopened_left"),
    ]
    suggestion_table = Table(
        "ask-suggestions",
        _("Visits to the ask form that showed suggestions"),
        [_("What the member did"), _("Visits"), percent_column(_("Share"))],
        [
            [label, suggestions[key], pct_cell(share(suggestions[key], suggestions["shown"]))]
            for label, key in outcomes
        ],
    )
    table = Table(
        "support-response",
        _("Time to first answer by who answered first"),
        [_("First answer by"), hours_column(_("Median")), hours_column(_("90th percentile"))],
        [
            [_("Staff"), hours_cell(f["staff_median"]), hours_cell(f["staff_p90"])],
            [_("Community"), hours_cell(f["community_median"]), hours_cell(f["community_p90"])],
            [_("Anyone"), hours_cell(f["first_median"]), hours_cell(f["first_p90"])],
        ],
    )
    labels = [date_format(w, "SHORT_DATE_FORMAT") for w, _n, _f in f["weekly"]]
    chart = Chart(
        kind="bar",
        key="chart-support",
        csv_table="support-weekly",
        title=_("Questions asked per week"),
        x_label=_("Week starting"),
        y_label=_("Questions"),
        labels=labels,
        series=[
            Series(_("Asked"), [n for _w, n, _f in f["weekly"]]),
            Series(_("Answered within 24 hours"), [fast for _w, _n, fast in f["weekly"]]),
        ],
    )
    weekly = Table(
        "support-weekly",
        chart.title,
        [_("Week starting"), _("Asked"), _("Answered within 24 hours")],
        [[w.isoformat(), n, fast] for w, n, fast in f["weekly"]],
    )
    return Panel(
        "support",
        title,
        figures=figures,
        tables=[table, weekly, suggestion_table],
        charts=[chart],
    )


# --- ideas --------------------------------------------------------------------------------


def ideas_figures(r: DateRange) -> dict:
    start, end = _bounds(r)
    statuses = [value for value, _label in IdeaStatus.choices]
    ideas = Idea.objects.filter(
        created_at__gte=start, created_at__lt=end, moderation_state=PUBLISHED
    )
    # 1: submitted ideas and how far they got (current status or any status they passed)
    funnel = ideas.aggregate(
        submitted=Count("id", distinct=True),
        **{
            f"reached_{s}": Count(
                "id",
                distinct=True,
                filter=Q(status=s)
                | Q(status_changes__to_status=s)
                | Q(status_changes__from_status=s),
            )
            for s in statuses
        },
    )
    # 2: votes cast in the period (daily rollup)
    votes = DailyActiveCount.objects.filter(day__gte=r.start, day__lte=r.end).aggregate(
        n=Coalesce(Sum("idea_votes"), 0)
    )["n"]
    # 3 (PostgreSQL) or 2 per status (SQLite): time spent in a status, measured on the
    # changes that left it in the period (entered at the previous change, or at creation)
    previous = (
        IdeaStatusChange.objects.filter(idea=OuterRef("idea"), at__lt=OuterRef("at"))
        .order_by("-at")
        .values("at")[:1]
    )
    entered = Coalesce(Subquery(previous), F("idea__created_at"))
    spent = ExpressionWrapper(
        EpochSeconds(F("at")) - EpochSeconds(entered), output_field=FloatField()
    )
    changes = IdeaStatusChange.objects.filter(at__gte=start, at__lt=end)
    medians = percentiles(changes, {s: (spent, 0.5, Q(from_status=s)) for s in statuses})
    return {"funnel": funnel, "votes": votes, "medians": medians, "statuses": statuses}


@register_panel("ideas", ["ideas-funnel"])
def ideas_panel(r: DateRange) -> Panel:
    title = _("Ideas")
    f = ideas_figures(r)
    labels = dict(IdeaStatus.choices)
    funnel = f["funnel"]
    figures = [
        Figure(_("Ideas submitted"), funnel["submitted"]),
        Figure(_("Votes cast"), f["votes"]),
    ]
    rows = [
        [
            str(labels[s]),
            funnel[f"reached_{s}"],
            pct_cell(share(funnel[f"reached_{s}"], funnel["submitted"])),
            hours_cell(f["medians"][s]),
        ]
        for s in f["statuses"]
    ]
    table = Table(
        "ideas-funnel",
        _("Status funnel of the ideas submitted in the period"),
        [
            _("Status"),
            _("Ideas that reached it"),
            percent_column(_("Share")),
            hours_column(_("Median time in this status")),
        ],
        rows,
    )
    return Panel("ideas", title, figures=figures, tables=[table])


# --- moderation ---------------------------------------------------------------------------


def moderation_figures(r: DateRange) -> dict:
    start, end = _bounds(r)
    now = timezone.now()
    flags = Flag.objects.filter(created_at__gte=start, created_at__lt=end)
    # 1: flags; 2: flags per rule (top ten)
    flag_count = flags.count()
    per_rule = list(
        flags.values_list("rule__number", "rule__title")
        .annotate(n=Count("id"))
        .order_by("-n", "rule__number")[:10]
    )
    # 3: the open queues now, with the items older than each queue's target age
    queues = registry.QUEUES  # read when called: tests replace the registry
    overdue = [Q(queue=key, created_at__lt=now - q.target_age) for key, q in queues.items()]
    backlog = list(
        QueueItem.objects.filter(resolved_at__isnull=True)
        .values_list("queue")
        .annotate(
            open=Count("id"),
            oldest=Min("created_at"),
            overdue=Count("id", filter=reduce(or_, overdue)) if overdue else Value(0),
        )
        .order_by("queue")
    )
    # 4: time to resolve the queue items resolved in the period
    resolved = QueueItem.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
    resolve = percentiles(
        resolved,
        {
            "resolve_median": (seconds_between(F("created_at"), F("resolved_at")), 0.5),
        },
    )
    # 5: moderator actions by kind; 6: members sanctioned twice or more in the period
    actions = list(
        AuditLogEntry.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("action")
        .annotate(n=Count("id"))
        .order_by("-n", "action")
    )
    repeat = list(
        Sanction.objects.filter(created_at__gte=start, created_at__lt=end)
        .values_list("member__username", "member__display_name")
        .annotate(n=Count("id"), last=Max("created_at"))
        .filter(n__gte=2)
        .order_by("-n", "member__username")[:20]
    )
    return {
        "flags": flag_count,
        "per_rule": per_rule,
        "backlog": backlog,
        "queues": dict(queues),
        "targets": {key: q.target_age for key, q in queues.items()},
        "labels": {key: q.label for key, q in queues.items()},
        "resolve_median": resolve["resolve_median"],
        "actions": actions,
        "repeat": repeat,
        "now": now,
    }


ACTION_LABELS = dict(ACTIONS)


@register_panel(
    "moderation",
    ["moderation-rules", "moderation-queues", "moderation-actions", "moderation-repeat"],
)
def moderation_panel(r: DateRange) -> Panel:
    title = _("Moderation")
    f = moderation_figures(r)
    overdue_total = sum(row[3] for row in f["backlog"])
    figures = [
        Figure(_("Flags raised"), f["flags"]),
        Figure(
            _("Items waiting in the queues"),
            sum(row[1] for row in f["backlog"]),
            _("%(n)s older than their queue's target") % {"n": overdue_total},
        ),
        Figure(_("Median time to resolve"), hours(f["resolve_median"])),
        Figure(_("Repeat offenders"), len(f["repeat"]), _("sanctioned twice or more")),
    ]
    tables = [
        Table(
            "moderation-rules",
            _("Flags per rule"),
            [_("Rule"), _("Flags")],
            [[f"{num}. {rule_title}", n] for num, rule_title, n in f["per_rule"]],
        ),
        Table(
            "moderation-queues",
            _("Queue backlog against target age"),
            [
                _("Queue"),
                _("Waiting"),
                hours_column(_("Oldest waiting")),
                hours_column(_("Target age")),
                _("Over target"),
            ],
            _queue_rows(f),
        ),
        Table(
            "moderation-actions",
            _("Moderator actions by kind"),
            [_("Action"), _("Count")],
            [[str(ACTION_LABELS.get(action, action)), n] for action, n in f["actions"]],
        ),
        Table(
            "moderation-repeat",
            _("Repeat offenders"),
            [_("Member"), _("Sanctions in the period")],
            [[display or username, n] for username, display, n, _last in f["repeat"]],
        ),
    ]
    return Panel("moderation", title, figures=figures, tables=tables)


def _queue_rows(f: dict) -> list[list]:
    """Every registered queue (empty ones too, in the inbox's order), then any queue that has
    items but is not registered any more."""
    waiting = {q: (n, oldest, late) for q, n, oldest, late in f["backlog"]}
    keys = [k for k, _q in sorted(f["queues"].items(), key=lambda kv: (kv[1].order, kv[0]))]
    keys += sorted(set(waiting) - set(keys))
    rows = []
    for key in keys:
        n, oldest, late = waiting.get(key, (0, None, 0))
        target = f["targets"].get(key)
        rows.append(
            [
                str(f["labels"].get(key, key)),
                n,
                hours_cell((f["now"] - oldest).total_seconds() if oldest else None),
                hours_cell(target.total_seconds() if target else None),
                late,
            ]
        )
    return rows


# --- referrals ----------------------------------------------------------------------------

RETENTION_DAYS = 30


def referral_figures(r: DateRange) -> dict:
    start, end = _bounds(r)
    referrals = Referral.objects.filter(created_at__gte=start, created_at__lt=end)
    # 1: clicks; 2: sign-ups and qualified; 3: new ambassadors, all ambassadors now
    clicks = ReferralClick.objects.filter(day__gte=r.start, day__lte=r.end).count()
    funnel = referrals.aggregate(
        signups=Count("id"), qualified=Count("id", filter=Q(status="qualified"))
    )
    ambassadors = ReferrerStats.objects.aggregate(
        new=Count("member", filter=Q(ambassador_since__gte=start, ambassador_since__lt=end)),
    )
    ambassadors_now = Member.objects.filter(badge=Member.Badge.AMBASSADOR).count()
    # 4: top referrers, with the share of their referred members (who joined at least 30
    # days ago) active again 30 or more days after signing up
    eligible = Q(
        referred__date_joined__lt=day_start(
            timezone.localdate() - timedelta(days=RETENTION_DAYS - 1)
        )
    )
    stayed = Exists(
        ActivityDay.objects.filter(member_id=OuterRef("referred_id"))
        .annotate(s=EpochSeconds("day"))
        .filter(s__gte=OuterRef("stay_from"))
    )
    top = list(
        referrals.annotate(
            stay_from=ExpressionWrapper(
                EpochSeconds(TruncDate("referred__date_joined")) + RETENTION_DAYS * DAY,
                output_field=FloatField(),
            )
        )
        .values_list("referrer__username", "referrer__display_name")
        .annotate(
            signups=Count("id"),
            qualified=Count("id", filter=Q(status="qualified")),
            eligible=Count("id", filter=eligible),
            stayed=Count("id", filter=eligible & Q(stayed)),
        )
        .order_by("-qualified", "-signups", "referrer__username")[:10]
    )
    return {
        "clicks": clicks,
        **funnel,
        "new_ambassadors": ambassadors["new"],
        "ambassadors": ambassadors_now,
        "top": top,
    }


@register_panel("referrals", ["referral-funnel", "referral-top"])
def referrals_panel(r: DateRange) -> Panel:
    title = _("Referrals")
    f = referral_figures(r)
    figures = [
        Figure(_("Referral link clicks"), f["clicks"]),
        Figure(_("Sign-ups by referral"), f["signups"], pct(share(f["signups"], f["clicks"]))),
        Figure(_("Qualified referrals"), f["qualified"], pct(share(f["qualified"], f["signups"]))),
        Figure(
            _("New ambassadors"),
            f["new_ambassadors"],
            _("%(n)s ambassadors in all") % {"n": f["ambassadors"]},
        ),
    ]
    tables = [
        Table(
            "referral-funnel",
            _("Referral funnel"),
            [_("Step"), _("Count")],
            [
                [_("Clicks"), f["clicks"]],
                [_("Sign-ups"), f["signups"]],
                [_("Qualified"), f["qualified"]],
                [_("New ambassadors"), f["new_ambassadors"]],
            ],
        ),
        Table(
            "referral-top",
            _("Top referrers"),
            [
                _("Referrer"),
                _("Sign-ups"),
                _("Qualified"),
                _("Joined 30 or more days ago"),
                _("Still active after 30 days"),
                percent_column(_("Share still active")),
            ],
            [
                [
                    display or username,
                    signups,
                    qualified,
                    eligible,
                    stayed,
                    pct_cell(share(stayed, eligible)),
                ]
                for username, display, signups, qualified, eligible, stayed in f["top"]
            ],
        ),
    ]
    return Panel("referrals", title, figures=figures, tables=tables)
