"""Demo private messages: a handful of conversations between members and one from staff to
a few members, some read, some not. Bulk inserts; skipped when already seeded."""

from datetime import timedelta

from config.markdown import render_markdown
from config.seeding import SeedContext
from members.models import Member

from .models import Conversation, Message, Participant

CONVERSATIONS = [
    (
        "Your answer about exports",
        [
            "Hi! Your answer about CSV exports saved me a day. Where did you find the option?",
            "Glad it helped. It is under **Settings → Data**, a bit hidden.",
            "Found it, thanks a lot!",
        ],
    ),
    (
        "Meet-up in Berlin?",
        [
            "Are you coming to the community meet-up next month?",
            "I would like to. Do you know the date yet?",
        ],
    ),
    (
        "Translation of the FAQ",
        [
            "Would you help me review the Russian FAQ entries this week?",
            "Sure, send me the list.",
            "Here it is: the first ten entries of *Getting started*.",
        ],
    ),
]
STAFF_SUBJECT = "Welcome to the beta programme"
STAFF_BODY = (
    "Hello! You are among the first members invited to try the new dashboard. "
    "Answer here if anything looks wrong."
)


def seed(ctx: SeedContext) -> None:
    if Conversation.objects.exists():
        ctx.log("  private messages already seeded, skipping")
        return
    people = list(
        Member.objects.filter(is_staff=False, is_active=True, deleted_at__isnull=True)
        .exclude(username="moderator")
        .order_by("id")
        .values_list("id", flat=True)[:40]
    )
    staff = list(Member.objects.filter(is_staff=True).order_by("id").values_list("id", flat=True))
    if len(people) < 4:
        ctx.log("  private messages: too few members, skipping")
        return
    rng = ctx.rng
    messages: list[Message] = []
    participants: list[Participant] = []
    plan = [(subject, bodies, rng.sample(people, 2)) for subject, bodies in CONVERSATIONS]
    if staff:
        plan.append((STAFF_SUBJECT, [STAFF_BODY], [staff[0], *rng.sample(people, 3)]))
    for number, (subject, bodies, member_ids) in enumerate(plan):
        start = ctx.now - timedelta(days=20 - number * 4, hours=rng.randint(0, 12))
        times = [start + timedelta(hours=3 * i) for i in range(len(bodies))]
        conversation = Conversation.objects.create(
            subject=subject,
            created_by_id=member_ids[0],
            created_at=start,
            last_message_at=times[-1],
        )
        for i, body in enumerate(bodies):
            author = member_ids[0] if len(member_ids) > 2 else member_ids[i % 2]
            messages.append(
                Message(
                    conversation=conversation,
                    author_id=author,
                    body=body,
                    body_html=render_markdown(body),
                    created_at=times[i],
                )
            )
        for i, member_id in enumerate(member_ids):
            # The last conversation is unread by its recipients; the others are read.
            unread = number == len(plan) - 1 and i > 0
            participants.append(
                Participant(
                    conversation=conversation,
                    member_id=member_id,
                    joined_at=start,
                    last_read_at=None if unread else times[-1],
                )
            )
    Message.objects.bulk_create(messages)
    Participant.objects.bulk_create(participants)
    ctx.log(f"  private messages: {len(plan)} conversations, {len(messages)} messages")
