"""Demo members: staff, a moderator, and a community whose sign-ups and activity spread over
``history_days`` with realistic retention (most people fade, some stay)."""

import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection

from config.seeding import SeedContext, chunks, copy_rows, foreign_keys_checked_after

from .models import MODERATORS_GROUP, ActivityDay, Expertise, Member
from .services import expert_ranks_refresh

FIRST = [
    "Anna",
    "Boris",
    "Clara",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Irina",
    "Jonas",
    "Katya",
    "Lars",
    "Maria",
    "Nikolai",
    "Olga",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sergei",
    "Tanya",
    "Umar",
    "Vera",
    "Wim",
    "Xenia",
    "Yuri",
    "Zoe",
    "Alexei",
    "Bianca",
    "Chen",
    "Dasha",
]
LAST = [
    "Ivanova",
    "Smith",
    "Petrov",
    "Müller",
    "Kuznetsova",
    "Garcia",
    "Novak",
    "Sokolov",
    "Brown",
    "Orlova",
    "Rossi",
    "Volkov",
    "Jansen",
    "Popova",
    "Lee",
    "Morozov",
    "Silva",
    "Fedorova",
    "Kim",
    "Lebedev",
]
EXPERTISE = [
    "billing",
    "api",
    "mobile-app",
    "integrations",
    "security",
    "reporting",
    "sso",
    "webhooks",
    "import-export",
    "performance",
    "notifications",
    "permissions",
]
DEMO_PASSWORD = "veche-demo"


def seed(ctx: SeedContext) -> None:
    if Member.objects.filter(username="admin").exists():
        ctx.log("  members already seeded, skipping")
        ctx.data["member_ids"] = list(
            Member.objects.filter(is_staff=False)
            .exclude(username="moderator")
            .values_list("id", flat=True)
        )
        ctx.data["staff_ids"] = list(
            Member.objects.filter(is_staff=True).values_list("id", flat=True)
        )
        return
    rng = ctx.rng
    password = make_password(DEMO_PASSWORD)
    start = ctx.history_start
    total_days = ctx.size("history_days")
    count = ctx.size("members")

    staff = [
        Member(
            username="admin",
            email="admin@veche.example",
            display_name="Alex Admin",
            is_staff=True,
            is_superuser=True,
            password=password,
            date_joined=start,
            trust_level=3,
            bio="Community manager.",
        ),
        Member(
            username="support",
            email="support@veche.example",
            display_name="Sam Support",
            is_staff=True,
            password=password,
            date_joined=start,
            trust_level=3,
            bio="Support engineer.",
        ),
        Member(
            username="moderator",
            email="moderator@veche.example",
            display_name="Mira Moderator",
            password=password,
            date_joined=start,
            trust_level=3,
        ),
    ]
    people = []
    progress = ctx.progress("members", count)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # More sign-ups recently: the community grows.
        offset = int(total_days * (rng.random() ** 0.7))
        joined = start + timedelta(days=offset, hours=rng.randint(0, 23))
        username = f"{first.lower()}{last.lower()[:3]}{i}"
        people.append(
            Member(
                username=username,
                email=f"{username}@example.com",
                display_name=f"{first} {last}",
                password=password,
                date_joined=joined,
                welcome_sent_at=joined + timedelta(days=1),
                preferred_language=rng.choice(["en", "en", "ru"]),
                bio=rng.choice(
                    [
                        "",
                        "",
                        "Product owner at a mid-size company.",
                        "Developer, loves APIs.",
                        "Operations lead.",
                    ]
                ),
                trust_level=rng.choice([0, 1, 1, 2, 2, 2, 3]),
            )
        )
    for batch in chunks(staff + people, ctx.batch_size):
        Member.objects.bulk_create(batch, batch_size=ctx.batch_size)
        progress.advance(len(batch))
    progress.finish()

    members = list(Member.objects.values_list("id", "email", "date_joined", "username"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email, _, _ in members
        ],
        batch_size=ctx.batch_size,
        ignore_conflicts=True,
    )
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderators.user_set.add(Member.objects.get(username="moderator"))

    expertise = []
    for pk, *_rest in members:
        if rng.random() < 0.35:
            for slug in rng.sample(EXPERTISE, rng.randint(1, 3)):
                expertise.append(Expertise(member_id=pk, tag_slug=slug))
    Expertise.objects.bulk_create(expertise, batch_size=ctx.batch_size, ignore_conflicts=True)

    _seed_activity(ctx, members)
    special = {"admin", "support", "moderator"}
    ctx.data["member_ids"] = [pk for pk, _e, _j, u in members if u not in special]
    ctx.data["staff_ids"] = [pk for pk, _e, _j, u in members if u in ("admin", "support")]
    if people:  # a member in good standing to log in as (README's demo accounts), named last:
        # the order of the rows the other seeders draw from stays the one of the names drawn.
        Member.objects.filter(username=people[0].username).update(
            username="member", display_name="Maria Member", trust_level=2
        )
    ctx.log(
        f"  {len(members)} members (log in as admin, support, moderator or member; password "
        f"{DEMO_PASSWORD})"
    )


# Who stays: about a third of the people who join keep coming for months; the others stop
# after their first days, weeks or months (how long, below). So weekly retention falls fast,
# then flattens at the stayers' level, as real communities' curves do.
STAYER_SHARE = 0.25
LIFETIMES = [(0.5, 0, 3), (0.3, 4, 30), (0.2, 31, 90)]  # share of the leavers, days
# Share of their days a member is active on (daily actives ÷ monthly actives follows): the
# few who write most days, the stayers now and then, newcomers keenly until they stop.
DENSITY = {"writer": 0.35, "stayer": 0.14, "leaver": 0.3}
# The few who write (90-9-1): creators ask and propose, contributors answer, comment and
# vote; everyone else mostly reads. Chosen among early stayers, so they write all along.
CREATOR_SHARE = 0.025
CONTRIBUTOR_SHARE = 0.1


def _lifetime(rng: random.Random) -> int:
    roll = rng.random()
    for share, low, high in LIFETIMES:
        if roll < share:
            return rng.randint(low, high)
        roll -= share
    return rng.randint(LIFETIMES[-1][1], LIFETIMES[-1][2])


def _seed_activity(ctx: SeedContext, members) -> None:
    """Each member is active on their sign-up day and on some later days within their time in
    the community (all of it for stayers, a lifetime drawn from ``LIFETIMES`` for the rest),
    so retention cohorts look real. Writers and stayers are shared with the other seeders
    (``ctx.data``): the forum and ideas draw their authors mostly from the writers, the
    ambassador program its referred members mostly from the stayers. The total is exactly
    the ``activity_days`` size (see ``activity_quotas``)."""
    rng = ctx.rng
    today = ctx.now.date()
    special = {"admin", "support", "moderator"}
    plans: list[tuple[int, date]] = []  # (member id, sign-up day)
    weights, caps = [], []  # activity weight, days to choose from (the sign-up day first)
    stayers: list[tuple[date, int]] = []
    for pk, _, joined, username in members:
        first_day = joined.date()
        span = (today - first_day).days
        if span < 0:
            continue
        stayer = username in special or rng.random() < STAYER_SHARE
        cap = span + 1 if stayer else min(span, _lifetime(rng)) + 1
        if stayer and username not in special:
            stayers.append((first_day, pk))
        plans.append((pk, first_day))
        weights.append(cap * DENSITY["stayer" if stayer else "leaver"])
        caps.append(cap)
    # The writers: the earliest stayers, active more often than the rest.
    stayers.sort()
    community = max(1, len(members) - len(special))
    creators = [pk for _d, pk in stayers[: max(2, round(community * CREATOR_SHARE))]]
    contributors = [
        pk
        for _d, pk in stayers[
            len(creators) : len(creators) + max(4, round(community * CONTRIBUTOR_SHARE))
        ]
    ]
    writers = set(creators) | set(contributors)
    for i, (pk, _first_day) in enumerate(plans):
        if pk in writers:
            weights[i] = caps[i] * DENSITY["writer"]
    ctx.data["creator_ids"], ctx.data["contributor_ids"] = creators, contributors
    ctx.data["stayer_ids"] = [pk for _d, pk in stayers]
    int_weights = [max(1, int(w * 100)) for w in weights]
    quotas = activity_quotas(int_weights, caps, ctx.size("activity_days"), rng)
    if sum(quotas) < ctx.size("activity_days"):
        # Leavers' days are full: they come back later too.
        caps = [(today - first_day).days + 1 for _pk, first_day in plans]
        quotas = activity_quotas(int_weights, caps, ctx.size("activity_days"), rng)
    progress = ctx.progress("activity days", sum(quotas))
    rows: list[tuple[int, date]] = []
    last_seen: dict[int, date] = {}
    with foreign_keys_checked_after(ActivityDay):
        for (pk, first_day), quota, cap in zip(plans, quotas, caps, strict=True):
            offsets = rng.sample(range(1, cap), quota - 1)
            rows.append((pk, first_day))
            rows.extend((pk, first_day + timedelta(days=o)) for o in offsets)
            last_seen[pk] = first_day + timedelta(days=max(offsets, default=0))
            if len(rows) >= ctx.batch_size * 50:
                _write_activity(ctx, rows)
                progress.advance(len(rows))
                rows = []
        _write_activity(ctx, rows)
    progress.advance(len(rows))
    progress.finish()
    by_day: dict[date, list[int]] = {}
    for pk, day in last_seen.items():
        by_day.setdefault(day, []).append(pk)
    for day, ids in by_day.items():
        for batch in chunks(ids, 900):
            Member.objects.filter(pk__in=batch).update(last_seen=day)


def activity_quotas(weights: list[int], caps: list[int], budget: int, rng) -> list[int]:
    """How many distinct days each member is active: proportional to ``weights``, at least one
    (the sign-up day) and at most ``caps`` (the days they can choose from), adding up to
    ``budget`` (or to the sum of the caps when that is smaller; or to one day each when the
    budget is smaller than the number of members). Members who joined recently reach their
    cap first; the shortfall goes to those with room, in proportion to their weight, so older
    and more active members get more days."""
    if not weights:
        return []
    if budget >= sum(caps):
        return list(caps)

    def quotas_at(scale: float) -> list[int]:
        return [min(cap, max(1, int(w * scale))) for w, cap in zip(weights, caps, strict=True)]

    low, high = 0.0, max(cap / w for w, cap in zip(weights, caps, strict=True)) + 1
    for _ in range(60):  # the largest scale whose quotas stay within the budget
        middle = (low + high) / 2
        if sum(quotas_at(middle)) <= budget:
            low = middle
        else:
            high = middle
    quotas = quotas_at(low)
    short = budget - sum(quotas)
    while short > 0:  # less than one day per member with room: spread it at random
        room = [i for i, (q, cap) in enumerate(zip(quotas, caps, strict=True)) if q < cap]
        for i in rng.sample(room, min(short, len(room))):
            quotas[i] += 1
        short = budget - sum(quotas)
    return quotas


def _write_activity(ctx: SeedContext, rows: list[tuple[int, date]]) -> None:
    if connection.vendor == "postgresql":
        copy_rows(ActivityDay, ["member_id", "day"], rows)
    else:
        ActivityDay.objects.bulk_create(
            [ActivityDay(member_id=pk, day=day) for pk, day in rows], batch_size=ctx.batch_size
        )


def rank_experts(ctx: SeedContext) -> None:
    """Every tag's best experts ranked, once the votes have given members their reputation
    (the last seeder: settings.VECHE_DEMO_SEEDERS)."""
    ctx.log(f"  {expert_ranks_refresh()} expert ranks")
