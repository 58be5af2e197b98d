"""Demo data for the ambassador program: a code for every member, link clicks, referred
members (most qualified, some pending or caught by the fraud checks), advocates, ambassadors,
a pending application, invitations and perks — spread over the demo history.

Bulk inserts only; counters are computed in SQL by ``referrer_stats_synchronize``, so it scales
to the benchmark sizes (``ctx.size("referrals")``)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Subquery

from config.seeding import SeedContext, chunks
from members.models import Member
from moderation.models import QueueItem
from moderation.services import queue_item_add

from .models import (
    AmbassadorApplication,
    Invitation,
    Perk,
    Referral,
    ReferralClick,
    ReferralCode,
    ReferrerStats,
)
from .services import referrer_stats_synchronize, tier_thresholds

# (title, description, title in Russian, description in Russian)
PERKS = [
    (
        "Early access to betas",
        "Try new features weeks before everyone else.",
        "Ранний доступ к бета-версиям",
        "Пробуйте новые функции на несколько недель раньше всех.",
    ),
    (
        "Quarterly call with the product team",
        "Tell us what your peers need next.",
        "Ежеквартальный созвон с командой продукта",
        "Расскажите нам, что нужно вашим коллегам дальше.",
    ),
    (
        "Ambassador swag pack",
        "A T-shirt, stickers and a mug, shipped to you.",
        "Набор подарков амбассадора",
        "Футболка, наклейки и кружка — с доставкой к вам.",
    ),
]


REFERRED_STAYER_WEIGHT = 10


def seed(ctx: SeedContext) -> None:
    if ReferralCode.objects.exists():
        ctx.log("  ambassadors already seeded, skipping")
        return
    rng = ctx.rng
    now = ctx.now
    members = list(
        Member.objects.filter(is_active=True).order_by("id").values_list("id", "date_joined")
    )
    member_ids = set(ctx.data.get("member_ids") or [pk for pk, _ in members])
    community = [(pk, joined) for pk, joined in members if pk in member_ids]
    if len(community) < 4:
        return

    progress = ctx.progress("referral codes", len(members))
    for batch in chunks(members, ctx.batch_size):
        ReferralCode.objects.bulk_create(
            [
                ReferralCode(member_id=pk, code=secrets.token_urlsafe(9), created_at=joined)
                for pk, joined in batch
            ],
            batch_size=ctx.batch_size,
        )
        progress.advance(len(batch))
    progress.finish()

    # A few enthusiastic referrers bring most people (a power law), as in real programs.
    count = min(ctx.size("referrals"), len(community) * 3 // 4)
    by_join = sorted(community, key=lambda row: row[1])
    pool = by_join[: max(5, len(community) // 8)]
    weights = [1 / (i + 1) for i in range(len(pool))]
    # People a peer brought stay longer than those who found the site alone: the referred
    # are drawn mostly from the members who stay (the members seeder's ``stayer_ids``).
    stayers = set(ctx.data.get("stayer_ids") or [])
    candidates = by_join[len(pool) // 2 :]
    keyed = sorted(
        candidates,
        key=lambda row: rng.random() ** (1 / (REFERRED_STAYER_WEIGHT if row[0] in stayers else 1)),
        reverse=True,
    )
    referred_rows = keyed[: min(count, len(candidates))]
    referrals, clicks = [], []
    progress = ctx.progress("referrals", len(referred_rows))
    # The top referrer's first referrals all count: the demo has an ambassador to log in as.
    _advocate, ambassador_tier = tier_thresholds()
    star = ambassador_tier + 4 if count >= 3 * (ambassador_tier + 4) else 0
    for i, (referred_id, joined) in enumerate(referred_rows):
        referrer_id = pool[0][0] if i < star else rng.choices(pool, weights)[0][0]
        while referrer_id == referred_id:  # nobody refers themselves: another referrer
            referrer_id = rng.choices(pool, weights)[0][0]
        roll = 0.0 if i < star else rng.random()
        contributed = joined + timedelta(hours=rng.randint(2, 24 * 20))
        status = (
            Referral.Status.QUALIFIED
            if roll < 0.62 and contributed <= now
            else Referral.Status.PENDING
            if roll < 0.86
            else Referral.Status.SUSPICIOUS
            if roll < 0.91
            else Referral.Status.REJECTED
            if roll < 0.96
            else Referral.Status.CLAWED_BACK
        )
        qualified = status == Referral.Status.QUALIFIED
        referrals.append(
            Referral(
                referrer_id=referrer_id,
                referred_id=referred_id,
                created_at=joined,
                status=status,
                signup_ip_hash=secrets.token_hex(32),
                first_contribution_at=contributed if qualified or roll > 0.96 else None,
                qualified_at=contributed if qualified else None,
                reason="Many sign-ups from one address in a short time."
                if status == Referral.Status.SUSPICIOUS
                else "",
            )
        )
        for extra in range(rng.randint(1, 4)):
            day = (joined - timedelta(days=extra * rng.randint(0, 3))).date()
            clicks.append(
                ReferralClick(
                    referrer_id=referrer_id,
                    visitor=secrets.token_hex(32),
                    day=day,
                    created_at=joined,
                )
            )
        progress.advance()
    for batch in chunks(referrals, ctx.batch_size):
        Referral.objects.bulk_create(batch, batch_size=ctx.batch_size, ignore_conflicts=True)
    for batch in chunks(clicks, ctx.batch_size):
        ReferralClick.objects.bulk_create(batch, batch_size=ctx.batch_size, ignore_conflicts=True)
    progress.finish()

    _queue_suspicious(ctx)
    referrer_stats_synchronize()
    advocate, ambassador = tier_thresholds()
    top = list(
        ReferrerStats.objects.filter(qualified__gte=advocate)
        .order_by("-qualified", "member_id")
        .values_list("member_id", "qualified")
    )
    Member.objects.filter(pk__in=[pk for pk, _ in top]).exclude(is_staff=True).update(
        badge=Member.Badge.ADVOCATE
    )
    eligible = [pk for pk, qualified in top if qualified >= ambassador]
    ambassadors = eligible[: max(1, len(eligible) - 1)] if eligible else []
    Member.objects.filter(pk__in=ambassadors).update(badge=Member.Badge.AMBASSADOR)
    # One of them to log in as (README's demo accounts): "ambassador", password veche-demo.
    named = Member.objects.filter(pk__in=ambassadors).exclude(username="member").order_by("pk")
    Member.objects.filter(pk=Subquery(named.values("pk")[:1])).exclude(
        Exists(Member.objects.filter(username="ambassador"))
    ).update(username="ambassador")
    ReferrerStats.objects.filter(member_id__in=ambassadors).update(
        ambassador_since=now - timedelta(days=rng.randint(20, 120)), tier_notified=2
    )
    ReferrerStats.objects.filter(member_id__in=[pk for pk, _ in top]).exclude(
        member_id__in=ambassadors
    ).update(tier_notified=1)
    AmbassadorApplication.objects.bulk_create(
        [
            AmbassadorApplication(
                member_id=pk,
                motivation="I answer questions every week and bring my whole team here.",
                status="approved",
                created_at=now - timedelta(days=130),
                decided_at=now,
            )
            for pk in ambassadors
        ]
    )
    applicants = [pk for pk in eligible if pk not in ambassadors]
    if applicants:
        application = AmbassadorApplication.objects.create(
            member_id=applicants[0],
            created_at=now - timedelta(days=2),
            motivation="I would love to run onboarding sessions for new customers.",
        )
        queue_item_add(
            queue="ambassador_applications",
            target=application,
            member=Member.objects.get(pk=applicants[0]),
        )

    invitations = []
    for pk, _ in pool[:10]:
        for n in range(rng.randint(1, 4)):
            sent = now - timedelta(days=rng.randint(0, 40))
            invitations.append(
                Invitation(
                    inviter_id=pk,
                    email=f"friend{pk}-{n}@example.org",
                    token=secrets.token_urlsafe(24),
                    note="Have a look, the community answers fast.",
                    created_at=sent,
                    expires_at=sent + timedelta(days=settings.VECHE_INVITATION_DAYS),
                    status=rng.choice([Invitation.Status.SENT, Invitation.Status.ACCEPTED])
                    if n
                    else Invitation.Status.SENT,
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=ctx.batch_size)
    Perk.objects.bulk_create(
        [
            Perk(
                title=title, description=text, title_ru=title_ru, description_ru=text_ru, position=i
            )
            for i, (title, text, title_ru, text_ru) in enumerate(PERKS)
        ]
    )
    ctx.log(
        f"  {len(referrals)} referrals, {len(clicks)} clicks, {len(top)} advocates, "
        f"{len(ambassadors)} ambassadors"
    )


def _waiting(ctx: SeedContext) -> timedelta:
    if ctx.rng.random() < 0.8:
        return timedelta(hours=ctx.rng.uniform(1, 60))
    return timedelta(hours=ctx.rng.uniform(80, 200))


def _queue_suspicious(ctx: SeedContext) -> None:
    referral_type = ContentType.objects.get_for_model(Referral)
    rows = Referral.objects.filter(status=Referral.Status.SUSPICIOUS).values_list(
        "id", "referrer_id", "created_at", "reason"
    )
    QueueItem.objects.bulk_create(
        [
            QueueItem(
                queue="suspicious_referrals",
                target_type=referral_type,
                target_id=pk,
                member_id=referrer,
                # Reviewed mostly within the queue's three days, as a kept inbox is.
                created_at=max(created, ctx.now - _waiting(ctx)),
                reason=reason,
            )
            for pk, referrer, created, reason in rows
        ],
        batch_size=ctx.batch_size,
        ignore_conflicts=True,
    )
