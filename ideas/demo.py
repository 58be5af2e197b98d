"""Demo ideas: a board with votes, comments, followers and a spread of statuses whose history
runs over the demo period. Bulk inserts only; scales to 10,000 ideas and 300,000 votes."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.text import slugify

from config.markdown import render_markdown
from config.seeding import SeedContext, bulk_insert, chunks, foreign_keys_checked_after
from forum.models import Category, Comment, Follow
from moderation.models import QueueItem

from .models import (
    Idea,
    IdeaQuestionLink,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
)
from .services import idea_search_index_all, idea_trending_refresh

SUBJECTS = [
    "dark mode",
    "CSV export",
    "a public API for reports",
    "SSO with Okta",
    "two-factor login by SMS",
    "webhooks for invoices",
    "bulk edit of contacts",
    "a mobile widget",
    "custom fields on tickets",
    "Slack notifications",
    "recurring invoices",
    "an audit log export",
    "keyboard shortcuts",
    "multi-currency pricing",
    "a Russian interface for the mobile app",
    "saved filters",
    "scheduled reports",
    "Zapier integration",
    "GDPR data export",
    "per-team permissions",
    "offline mode",
    "calendar sync",
    "PDF templates",
    "sandbox accounts",
    "usage-based billing alerts",
]
OPENERS = [
    "Add {s}",
    "Support {s}",
    "Please add {s}",
    "Allow {s}",
    "Offer {s}",
    "It would be great to have {s}",
    "{S} for the dashboard",
    "Improve {s}",
]
WHY = [
    "Our team does this by hand every week and it takes hours.",
    "Competitors already have it; customers keep asking us.",
    "This would save our support team a lot of back-and-forth.",
    "We have **200 users** who would use this daily.",
    "Right now we export everything and fix it in a spreadsheet.",
]
COMMENTS = [
    "+1, we need this too.",
    "Any update on this?",
    "This would help us a lot.",
    "We built a workaround with the API, but native support would be better.",
    "Please consider the mobile app as well.",
    "Exactly what we were missing.",
]
NOTES = {
    IdeaStatus.UNDER_REVIEW: "Thanks! The product team is looking into this.",
    IdeaStatus.PLANNED: "This is on the roadmap for next quarter.",
    IdeaStatus.IN_PROGRESS: "Work has started; follow the idea for updates.",
    IdeaStatus.SHIPPED: "Shipped! See the release notes for details.",
    IdeaStatus.DECLINED: "Thank you, but this does not fit the product's direction.",
}
# The paths an idea's life can take, and how often each final status occurs.
PATHS = [
    ([], 30),
    ([IdeaStatus.UNDER_REVIEW], 25),
    ([IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED], 15),
    ([IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS], 10),
    ([IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS, IdeaStatus.SHIPPED], 10),
    ([IdeaStatus.UNDER_REVIEW, IdeaStatus.DECLINED], 7),
    ([IdeaStatus.DECLINED], 3),
]


REVIEW_WITHIN = timedelta(days=3)  # the review queue's target (ideas.receivers)
REVIEWED_IN_TIME = 0.95


def _categories(ctx: SeedContext) -> list[int]:
    ids = list(Category.objects.filter(ambassadors_only=False).values_list("id", flat=True))
    if not ids:
        Category.objects.bulk_create(
            [
                Category(name=name, slug=slug, position=i)
                for i, (name, slug) in enumerate(
                    [
                        ("Billing", "billing"),
                        ("API", "api"),
                        ("Mobile app", "mobile-app"),
                        ("Reporting", "reporting"),
                    ]
                )
            ]
        )
        ids = list(Category.objects.values_list("id", flat=True))
    return ids


def seed(ctx: SeedContext) -> None:
    if Idea.objects.exists():
        ctx.log("  ideas already seeded, skipping")
        return
    rng = ctx.rng
    members = ctx.data.get("member_ids") or []
    staff = ctx.data.get("staff_ids") or members[:1]
    if not members or not staff:
        ctx.log("  no members to propose ideas, skipping")
        return
    categories = _categories(ctx)
    total = ctx.size("ideas")
    start, now = ctx.history_start, ctx.now
    span = max(1, int((now - start).total_seconds()))
    paths = [p for p, _w in PATHS]
    weights = [w for _p, w in PATHS]

    # 1. Ideas, with their whole life decided up front.
    plans = []
    progress = ctx.progress("ideas", total)
    rows = []
    reviewed: list[int] = []  # ideas with no plan that staff reviewed in time
    overlooked = 0  # ideas with no plan past the review target, counted
    for i in range(total):
        subject = rng.choice(SUBJECTS)
        opener = rng.choice(OPENERS)
        title = opener.format(s=subject, S=subject[:1].upper() + subject[1:])
        if i >= len(SUBJECTS) * len(OPENERS) // 2:
            title = f"{title} ({rng.choice(['v2', 'again', 'for admins', 'for teams'])})"
        created = start + timedelta(seconds=int(span * (rng.random() ** 0.8)))
        path = rng.choices(paths, weights)[0]
        # Status steps spread between creation and now.
        steps, at = [], created
        for status in path:
            at = at + (now - at) * rng.uniform(0.1, 0.5)
            steps.append((status, at))
        late = not steps and now - created > REVIEW_WITHIN
        overlooked += late
        if late and overlooked % round(1 / (1 - REVIEWED_IN_TIME)):
            # Staff keep up with the review queue: most ideas are reviewed within its target,
            # one in twenty is overlooked. Counted, not drawn: a draw let three of four wait
            # past the target on some days (the demo's shapes test).
            steps.append((IdeaStatus.UNDER_REVIEW, created + REVIEW_WITHIN * rng.uniform(0.1, 0.9)))
            reviewed.append(i)
        description = "\n\n".join(rng.sample(WHY, 2))
        rows.append(
            Idea(
                title=title[:160],
                slug=slugify(title, allow_unicode=True)[:150],
                description=description,
                description_html=render_markdown(description),
                category_id=rng.choice(categories),
                author_id=ctx.writer("create", members),
                status=steps[-1][0] if steps else IdeaStatus.NEW,
                created_at=created,
                updated_at=steps[-1][1] if steps else created,
                status_changed_at=steps[-1][1] if steps else created,
            )
        )
        plans.append(steps)
    if reviewed and not any(row.status == IdeaStatus.NEW for row in rows):
        # The board always has a new idea waiting (a fresh one, within the target).
        newest = max(reviewed, key=lambda i: rows[i].created_at)
        plans[newest] = []
        fresh = now - REVIEW_WITHIN * rng.uniform(0.05, 0.8)
        row = rows[newest]
        row.status, row.created_at, row.updated_at, row.status_changed_at = (
            IdeaStatus.NEW,
            fresh,
            fresh,
            fresh,
        )
    for batch in chunks(rows, ctx.batch_size):
        Idea.objects.bulk_create(batch, batch_size=ctx.batch_size)
        progress.advance(len(batch))
    progress.finish()
    ideas = list(
        Idea.objects.order_by("id").values_list(
            "id", "author_id", "created_at", "status", "status_changed_at"
        )
    )

    # 2. Status history.
    changes = []
    for (pk, _a, _c, _s, _sc), steps in zip(ideas, plans, strict=True):
        previous = IdeaStatus.NEW
        for status, at in steps:
            note = NOTES[status]
            changes.append(
                IdeaStatusChange(
                    idea_id=pk,
                    from_status=previous,
                    to_status=status,
                    note=note,
                    note_html=render_markdown(note),
                    by_id=rng.choice(staff),
                    at=at,
                )
            )
            previous = status
    for batch in chunks(changes, ctx.batch_size):
        IdeaStatusChange.objects.bulk_create(batch, batch_size=ctx.batch_size)

    # 3. Votes: a few ideas draw most of them; each member votes once per idea; votes of
    # closed ideas stop when they closed; recent ideas gather recent votes (trending).
    budget = ctx.size("idea_votes")
    popularity = [rng.paretovariate(1.3) for _ in ideas]
    # Scale the shares to the budget; an idea cannot draw more voters than there are
    # members, so grow the scale until the capped shares add up.
    # Most members never vote: the writers do, and a few others (ctx.voters).
    voter_pool = ctx.voters(members)
    cap = len(voter_pool)
    scale = budget / max(sum(popularity), 1)
    for _ in range(10):
        total_votes = sum(min(cap, int(w * scale)) for w in popularity)
        if total_votes >= budget * 0.995:
            break
        scale *= budget / max(total_votes, 1)
    shares = _exact_shares([min(cap, int(w * scale)) for w in popularity], popularity, budget, cap)
    ct = ContentType.objects.get_for_model(Idea)
    progress = ctx.progress("idea votes", budget)
    votes, follows, counts = [], [], {}
    with foreign_keys_checked_after(IdeaVote, Follow):
        for (pk, author, created, final_status, changed), n in zip(ideas, shares, strict=True):
            end = changed if final_status in (IdeaStatus.SHIPPED, IdeaStatus.DECLINED) else now
            window = max(1, int((end - created).total_seconds()))
            voters = rng.sample(voter_pool, n)
            counts[pk] = n
            for voter in voters:
                at = created + timedelta(seconds=int(window * (rng.random() ** 0.5)))
                votes.append(IdeaVote(idea_id=pk, member_id=voter, created_at=at))
                follows.append(Follow(member_id=voter, target_type=ct, target_id=pk, created_at=at))
            if author not in voters:  # an author who voted follows since the vote
                follows.append(
                    Follow(member_id=author, target_type=ct, target_id=pk, created_at=created)
                )
            if len(votes) >= ctx.batch_size * 25:
                _flush(ctx, votes, follows)
                progress.advance(len(votes))
                votes, follows = [], []
        _flush(ctx, votes, follows)
    progress.advance(len(votes))
    progress.finish()

    # 4. Comments.
    comments = []
    comment_counts: dict[int, int] = {}
    for _ in range(ctx.size("idea_comments")):
        pk, _a, created, _s, _sc = rng.choice(ideas)
        at = created + (now - created) * rng.random()
        body = rng.choice(COMMENTS)
        comments.append(
            Comment(
                author_id=ctx.writer("contribute", members),
                target_type=ct,
                target_id=pk,
                body=body,
                body_html=render_markdown(body),
                created_at=at,
            )
        )
        comment_counts[pk] = comment_counts.get(pk, 0) + 1
    for batch in chunks(comments, ctx.batch_size):
        Comment.objects.bulk_create(batch, batch_size=ctx.batch_size)

    # 5. Counters, grouped so there is one UPDATE per distinct value, not per idea.
    _set_counts(ctx, "vote_count", counts)
    _set_counts(ctx, "comment_count", comment_counts)

    # 6. Some ideas answer questions people asked: link them (askers hear when they ship).
    question_ids = ctx.data.get("question_ids") or []
    if question_ids:
        links = {}
        for pk, *_rest in rng.sample(ideas, max(1, len(ideas) // 10)):
            for question in rng.sample(question_ids, min(len(question_ids), rng.randint(1, 2))):
                links[(pk, question)] = IdeaQuestionLink(
                    idea_id=pk, question_id=question, linked_by_id=rng.choice(staff)
                )
        IdeaQuestionLink.objects.bulk_create(
            list(links.values()), batch_size=ctx.batch_size, ignore_conflicts=True
        )

    # 7. New ideas wait in the staff review queue; the search index is built in one go.
    QueueItem.objects.bulk_create(
        [
            QueueItem(
                queue="new_ideas",
                target_type=ct,
                target_id=pk,
                member_id=author,
                reason="",
                created_at=created,
            )
            for pk, author, created, status, _sc in ideas
            if status == IdeaStatus.NEW
        ],
        batch_size=ctx.batch_size,
        ignore_conflicts=True,
    )
    idea_trending_refresh(now=now)
    if connection.vendor == "postgresql":
        idea_search_index_all()
        with connection.cursor() as cursor:  # fresh planner statistics after the bulk load
            for table in ("forum_idea", "forum_ideavote", "forum_ideastatuschange"):
                cursor.execute(f"ANALYZE {table}")
    ctx.log(f"  {len(ideas)} ideas, {sum(counts.values())} votes, {len(comments)} comments")


def _exact_shares(shares: list[int], popularity: list[float], budget: int, cap: int) -> list[int]:
    """``shares`` (votes per idea, rounded down) topped up or trimmed one vote at a time on the
    most popular ideas first, so they add up to ``budget`` (or to what ``cap`` voters per idea
    allow)."""
    order = sorted(range(len(shares)), key=lambda i: -popularity[i])
    missing = budget - sum(shares)
    while missing:
        step = 1 if missing > 0 else -1
        room = [i for i in order if (shares[i] < cap if step > 0 else shares[i] > 0)]
        if not room:
            break
        for i in room[: abs(missing)]:
            shares[i] += step
        missing = budget - sum(shares)
    return shares


def _flush(ctx: SeedContext, votes: list[IdeaVote], follows: list[Follow]) -> None:
    """Votes are one per member per idea and follows one per member per idea by
    construction, so they are copied in without conflict checks."""
    bulk_insert(ctx, IdeaVote, votes)
    bulk_insert(ctx, Follow, follows)


def _set_counts(ctx: SeedContext, field: str, counts: dict[int, int]) -> None:
    by_value: dict[int, list[int]] = {}
    for pk, n in counts.items():
        if n:
            by_value.setdefault(n, []).append(pk)
    for value, ids in by_value.items():
        for batch in chunks(ids, 900):
            Idea.objects.filter(pk__in=batch).update(**{field: value})
