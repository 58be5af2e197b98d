"""Demo members: staff, a moderator, and a community whose sign-ups and activity spread over
``history_days`` with realistic retention (most people fade, some stay)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from config.seeding import SeedContext, chunks

from .models import MODERATORS_GROUP, ActivityDay, Expertise, Member

FIRST = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas",
         "Katya", "Lars", "Maria", "Nikolai", "Olga", "Pavel", "Quinn", "Rosa", "Sergei", "Tanya",
         "Umar", "Vera", "Wim", "Xenia", "Yuri", "Zoe", "Alexei", "Bianca", "Chen", "Dasha"]
LAST = ["Ivanova", "Smith", "Petrov", "Müller", "Kuznetsova", "Garcia", "Novak", "Sokolov",
        "Brown", "Orlova", "Rossi", "Volkov", "Jansen", "Popova", "Lee", "Morozov", "Silva",
        "Fedorova", "Kim", "Lebedev"]
EXPERTISE = ["billing", "api", "mobile-app", "integrations", "security", "reporting", "sso",
             "webhooks", "import-export", "performance", "notifications", "permissions"]
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
        Member(username="admin", email="admin@veche.example", display_name="Alex Admin",
               is_staff=True, is_superuser=True, password=password, date_joined=start,
               trust_level=3, bio="Community manager."),
        Member(username="support", email="support@veche.example", display_name="Sam Support",
               is_staff=True, password=password, date_joined=start, trust_level=3,
               bio="Support engineer."),
        Member(username="moderator", email="moderator@veche.example",
               display_name="Mira Moderator", password=password, date_joined=start,
               trust_level=3),
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
                bio=rng.choice(["", "", "Product owner at a mid-size company.",
                                "Developer, loves APIs.", "Operations lead."]),
                trust_level=rng.choice([0, 1, 1, 2, 2, 2, 3]),
            )
        )
    for batch in chunks(staff + people, ctx.batch_size):
        Member.objects.bulk_create(batch, batch_size=ctx.batch_size)
        progress.advance(len(batch))
    progress.finish()

    members = list(Member.objects.values_list("id", "email", "date_joined", "username"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=pk, email=email, verified=True, primary=True)
         for pk, email, _, _ in members],
        batch_size=ctx.batch_size, ignore_conflicts=True,
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
    ctx.log(f"  {len(members)} members (log in as admin / {DEMO_PASSWORD})")


def _seed_activity(ctx: SeedContext, members) -> None:
    """Each member is active on some days after joining, with a decaying chance, so retention
    cohorts look real: about a third stay active for months."""
    rng = ctx.rng
    today = ctx.now.date()
    budget = ctx.size("activity_days")
    per_member = max(1, budget // max(len(members), 1))
    rows: list[ActivityDay] = []
    last_seen: dict[int, object] = {}
    progress = ctx.progress("activity days", len(members))
    for pk, _, joined, _ in members:
        first_day = joined.date()
        span = (today - first_day).days
        if span < 0:
            continue
        # Distinct days: stayers spread over their whole membership, the rest fade within
        # their first three months.
        if rng.random() < 0.35:
            offsets = rng.sample(range(span + 1), min(2 * per_member, span + 1))
        else:
            window = min(span, 90)
            offsets = rng.sample(range(window + 1), min(per_member // 2 + 1, window + 1))
        days = {first_day} | {first_day + timedelta(days=o) for o in offsets}
        for day in days:
            rows.append(ActivityDay(member_id=pk, day=day))
        last_seen[pk] = max(days)
        if len(rows) >= ctx.batch_size * 5:
            ActivityDay.objects.bulk_create(rows, batch_size=ctx.batch_size,
                                            ignore_conflicts=True)
            rows = []
        progress.advance()
    ActivityDay.objects.bulk_create(rows, batch_size=ctx.batch_size, ignore_conflicts=True)
    progress.finish()
    by_day: dict[object, list[int]] = {}
    for pk, day in last_seen.items():
        by_day.setdefault(day, []).append(pk)
    for day, ids in by_day.items():
        for batch in chunks(ids, 900):
            Member.objects.filter(pk__in=batch).update(last_seen=day)
