"""Demo moderation: rules v1 and v2, blocked words, flags spread over the demo history (some
upheld, some dismissed, some open), held posts, sanctions, appeals and the audit rows that
go with them. Bulk inserts only; scales to tens of thousands of flags."""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from config.markdown import render_markdown
from config.seeding import SeedContext, chunks
from config.translation import stored
from members.models import Member

from .content import ModerationState
from .models import (
    AuditLogEntry,
    BlockedWord,
    Document,
    DocumentVersion,
    Flag,
    QueueItem,
    Rule,
    RulesAcceptance,
    Sanction,
)
from .registry import CONTENT
from .services.rules import rule_build

BLOCKED = ["casino", "crypto giveaway", "free followers", "viagra", "work from home $$$"]
NOTES = [
    "",
    "",
    "",
    "Rude reply to a newcomer.",
    "Looks like an ad.",
    "Posted three times.",
    "Off-topic rant.",
    "Shares someone's e-mail address.",
]
REASONS = [
    "Please keep it friendly.",
    "Advertising is not allowed.",
    "Repeated posts.",
    "Stay on topic, please.",
    "",
]


# Russian texts of the pages and rules the migration publishes (0003) and of rules v2, so a
# Russian reader of the demo reads Russian. Filled only where the Russian text is empty.
RU_TITLES = {
    "rules": "Правила сообщества",
    "moderation-policy": "Как устроена модерация",
    "ambassador-terms": "Условия программы амбассадоров",
}
RU_BODIES = {
    "moderation-policy": (
        "Как здесь работает модерация.\n\n"
        "- Участники отмечают сообщения, нарушающие правило; после нескольких жалоб сообщение "
        "скрывается, пока его не проверит модератор.\n"
        "- Первые сообщения новых участников и сообщения, задержанные проверкой на спам, "
        "ждут одобрения.\n"
        "- Модераторы могут одобрять, отклонять, скрывать, восстанавливать, править, "
        "закрывать и переносить сообщения, а также предупреждать, ограничивать и блокировать "
        "участников. Каждое действие записывается в журнал со ссылкой на правило.\n"
        "- Вы узнаёте о каждом решении, которое вас касается, и можете один раз обжаловать "
        "каждое решение.\n"
    ),
    "ambassador-terms": (
        "Условия программы амбассадоров.\n\n"
        "- У каждого участника есть личная реферальная ссылка. Приглашение засчитывается, "
        "когда новый участник подтвердил e-mail и внёс настоящий вклад.\n"
        "- Приглашения самого себя и вторые аккаунты не засчитываются; подозрительные "
        "приглашения проверяются.\n"
        "- Команда может лишить статуса амбассадора и бонусов за нарушение этих условий "
        "или правил сообщества.\n"
    ),
}
RU_RULES = [
    (
        "Будьте доброжелательны",
        "Спорьте с идеями, а не с людьми. Без оскорблений и перехода на личности.",
    ),
    (
        "Не уходите от темы",
        "Задавайте вопросы и предлагайте идеи о продукте в подходящем разделе. "
        "Темы не по делу могут перенести или закрыть.",
    ),
    (
        "Сначала поищите",
        "Проверьте, нет ли уже такого вопроса или идеи. "
        "Дубликаты закрываются со ссылкой на оригинал.",
    ),
    (
        "Без спама и саморекламы",
        "Никакой рекламы, партнёрских ссылок и повторных сообщений. "
        "Ссылки новых участников ограничены.",
    ),
    ("Личное остаётся личным", "Не публикуйте пароли, ключи API, счета и чьи-либо личные данные."),
    (
        "Без травли и ненависти",
        "Угрозы, травля и разжигание ненависти удаляются и ведут к блокировке.",
    ),
    (
        "Уважайте решения модераторов",
        "Если вы не согласны с решением, обжалуйте его один раз по ссылке в уведомлении. "
        "Не публикуйте удалённое заново.",
    ),
]
RU_RULE_4_V2 = " Партнёрские и реферальные ссылки на другие продукты тоже считаются рекламой."
RU_RULE_8 = (
    "Говорите, если ответ написан ИИ",
    "Сначала проверьте, что он работает, и скажите, какие части написал инструмент.",
)
RU_V2_SUMMARY = (
    "Правило 4 теперь касается и партнёрских ссылок; новое правило 8 — об ответах, написанных ИИ."
)


def _russian_pages() -> None:
    """Give the migration's pages and their first versions Russian texts (few rows)."""
    for document in Document.objects.filter(slug__in=RU_TITLES, title_ru=""):
        document.title_ru = RU_TITLES[document.slug]
        document.save(update_fields=["title_ru"])
    for version in DocumentVersion.objects.filter(
        document__slug__in=RU_BODIES, number=1, body_ru=""
    ).select_related("document"):
        version.body_ru = RU_BODIES[version.document.slug]
        version.body_html_ru = render_markdown(version.body_ru)
        version.change_summary_ru = "Первая версия."
        version.save(update_fields=["body_ru", "body_html_ru", "change_summary_ru"])


def _russian_rules(version: DocumentVersion, texts: list[tuple[str, str]]) -> None:
    for rule in version.rules.filter(title_ru="", number__lte=len(texts)):
        rule.title_ru, rule.explanation_ru = texts[rule.number - 1]
        rule.explanation_html_ru = render_markdown(rule.explanation_ru)
        rule.save(update_fields=["title_ru", "explanation_ru", "explanation_html_ru"])
    if version.number == 1:
        DocumentVersion.objects.filter(pk=version.pk, change_summary_ru="").update(
            change_summary_ru="Первая версия."
        )


WITHIN_TARGET = 0.8


def _waiting(rng: random.Random, queue: str) -> timedelta:
    """How long an open item of ``queue`` has waited: within the queue's target age for most
    items (``WITHIN_TARGET``), past it for the rest."""
    target = settings.VECHE_QUEUE_TARGET_HOURS[queue]
    if rng.random() < WITHIN_TARGET:
        return timedelta(hours=rng.uniform(0.2, target * 0.9))
    return timedelta(hours=rng.uniform(target * 1.05, target * 3))


def seed(ctx: SeedContext) -> None:
    _russian_pages()
    rules_doc = Document.objects.filter(slug=Document.RULES).first()
    if rules_doc is None or Flag.objects.exists() or rules_doc.versions.filter(number=2).exists():
        ctx.log("  moderation already seeded, skipping")
        return
    rng = ctx.rng
    start, now = ctx.history_start, ctx.now
    span = max((now - start).total_seconds(), 1)

    def when(lo: float = 0.0, hi: float = 1.0) -> datetime:
        return start + timedelta(seconds=span * (lo + (hi - lo) * rng.random()))

    staff_ids = ctx.data.get("staff_ids") or list(
        Member.objects.filter(is_staff=True).values_list("id", flat=True)
    )
    member_ids = ctx.data.get("member_ids") or list(
        Member.objects.filter(is_staff=False).values_list("id", flat=True)
    )
    moderator = Member.objects.filter(username="moderator").first()
    moderator_ids = ([moderator.pk] if moderator else []) + list(staff_ids)
    if not member_ids or not moderator_ids:
        ctx.log("  no members to moderate, skipping")
        return

    # --- rules v1 (from the migration) and v2 -----------------------------------------
    v1 = rules_doc.versions.get(number=1)
    DocumentVersion.objects.filter(pk=v1.pk).update(published_at=start)
    _russian_rules(v1, RU_RULES)
    v1_rules = list(v1.rules.order_by("number"))
    v2 = DocumentVersion.objects.create(
        document=rules_doc,
        number=2,
        published_at=when(0.55, 0.6),
        published_by_id=staff_ids[0] if staff_ids else None,
        change_summary="Rule 4 now covers affiliate links; new rule 8 on AI-generated answers.",
        change_summary_ru=RU_V2_SUMMARY,
    )
    texts = [
        (stored(r, "title"), stored(r, "explanation"), r.title_ru, r.explanation_ru)
        for r in v1_rules
    ]
    if len(texts) >= 4:
        title, explanation, title_ru, explanation_ru = texts[3]
        texts[3] = (
            title,
            explanation + " Affiliate and referral links to other products count as advertising.",
            title_ru,
            explanation_ru + RU_RULE_4_V2 if explanation_ru else "",
        )
    texts.append(
        (
            "Say when an answer is AI-generated",
            "Check it works first, and say which parts a tool wrote.",
            *RU_RULE_8,
        )
    )
    Rule.objects.bulk_create(
        [rule_build(v2, number, *rule) for number, rule in enumerate(texts, start=1)]
    )
    rules = list(v2.rules.order_by("number"))
    acceptances = [
        RulesAcceptance(member_id=pk, version=v1, accepted_at=start)
        for pk in member_ids + moderator_ids
    ]
    acceptances += [
        RulesAcceptance(member_id=pk, version=v2, accepted_at=v2.published_at)
        for pk in member_ids
        if rng.random() < 0.6
    ]
    for batch in chunks(acceptances, ctx.batch_size):
        RulesAcceptance.objects.bulk_create(batch, ignore_conflicts=True)
    BlockedWord.objects.bulk_create([BlockedWord(word=w) for w in BLOCKED], ignore_conflicts=True)

    # --- what can be flagged ----------------------------------------------------------
    targets: list[tuple[int, int, int | None, type[Model]]] = []  # (ct id, pk, author id, model)
    for entry in CONTENT.values():
        if not entry.counts_as_post:  # private messages: only their participants flag them
            continue
        ct = ContentType.objects.get_for_model(entry.model)
        if entry.author_field is None:
            ids = rng.sample(member_ids, min(len(member_ids), 30))
            targets += [(ct.pk, pk, pk, entry.model) for pk in ids]
            continue
        rows = list(
            entry.model._base_manager.filter(
                moderation_state=ModerationState.PUBLISHED
            ).values_list("pk", f"{entry.author_field}_id")[:20000]
        )
        targets += [(ct.pk, pk, author, entry.model) for pk, author in rows]
    rng.shuffle(targets)
    total = ctx.size("flags")
    postable = [x for x in targets if hasattr(x[3], "moderation_state")]
    reserved = postable[: max(6, total // 250)] if len(postable) > 12 else []
    reserved_keys = {(x[0], x[1]) for x in reserved}
    targets = [x for x in targets if (x[0], x[1]) not in reserved_keys]

    flags: list[Flag] = []
    audit: list[AuditLogEntry] = []
    queue: list[QueueItem] = []
    hide: dict[type[Model], list[int]] = {}
    held: dict[type[Model], list[int]] = {}
    progress = ctx.progress("flags", total)
    seen: set[tuple[int, int, int]] = set()
    t = 0
    while len(flags) < total and targets and t < total * 5:
        ct_id, pk, author, model = targets[t % len(targets)]
        t += 1
        created = when(0.02, 1.0)
        is_open = created > now - timedelta(days=3)
        if is_open:  # the queues are mostly within their target age, as a kept inbox is
            created = now - _waiting(rng, "flagged")
        outcome = (
            ""
            if is_open
            else rng.choice(["upheld", "upheld", "dismissed", "dismissed", "dismissed"])
        )
        rule = rng.choice(rules if created >= v2.published_at else rules[: len(v1_rules)])
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            flagger = rng.choice(member_ids)
            if len(flags) >= total:  # exactly the flags asked for
                break
            if flagger == author or (flagger, ct_id, pk) in seen:
                continue
            seen.add((flagger, ct_id, pk))
            flags.append(
                Flag(
                    flagger_id=flagger,
                    target_type_id=ct_id,
                    target_id=pk,
                    member_id=author,
                    rule=rule,
                    note=rng.choice(NOTES),
                    weight=rng.choice([0.5, 1.0, 1.0, 1.5]),
                    created_at=min(now, created + timedelta(minutes=rng.randint(0, 600))),
                    resolved_at=None if is_open else created + timedelta(hours=rng.randint(1, 40)),
                    outcome=outcome,
                )
            )
        decided_at = created + timedelta(hours=rng.randint(1, 40))
        actor = rng.choice(moderator_ids)
        if is_open:
            queue.append(
                QueueItem(
                    queue="flagged",
                    target_type_id=ct_id,
                    target_id=pk,
                    member_id=author,
                    reason=f"{rule.citation}",
                    created_at=created,
                )
            )
        elif outcome == "upheld":
            if hasattr(model, "moderation_state"):
                hide.setdefault(model, []).append(pk)
            audit.append(
                AuditLogEntry(
                    actor_id=actor,
                    action="hide",
                    target_type_id=ct_id,
                    target_id=pk,
                    target_repr=f"{model._meta.verbose_name} #{pk}",
                    member_id=author,
                    rule=rule,
                    reason=rng.choice(REASONS),
                    created_at=decided_at,
                    data={"queue": "flagged"},
                )
            )
        else:
            audit.append(
                AuditLogEntry(
                    actor_id=actor,
                    action="flags_dismiss",
                    target_type_id=ct_id,
                    target_id=pk,
                    target_repr=f"{model._meta.verbose_name} #{pk}",
                    member_id=author,
                    created_at=decided_at,
                    data={"queue": "flagged"},
                )
            )
    for batch in chunks(flags, ctx.batch_size):
        Flag.objects.bulk_create(batch)
        progress.advance(len(batch))
    progress.finish()

    # --- held posts waiting for approval (new members first) -------------------------
    for ct_id, pk, author, model in reserved:
        held.setdefault(model, []).append(pk)
        created = now - _waiting(rng, "approval")
        queue.append(
            QueueItem(
                queue="approval",
                target_type_id=ct_id,
                target_id=pk,
                member_id=author,
                priority=rng.choice([0, 10]),
                reason=rng.choice(
                    [
                        "First posts of a new member are reviewed.",
                        "Too many links (3; your limit is 1).",
                        "Blocked words: casino.",
                    ]
                ),
                created_at=created,
            )
        )
    for model, ids in hide.items():
        for batch in chunks(ids, ctx.batch_size):
            model._base_manager.filter(pk__in=batch).update(moderation_state=ModerationState.HIDDEN)
    for model, ids in held.items():
        model._base_manager.filter(pk__in=ids).update(moderation_state=ModerationState.HELD)
    QueueItem.objects.bulk_create(queue, batch_size=ctx.batch_size, ignore_conflicts=True)

    # --- sanctions ---------------------------------------------------------------------
    member_ct = ContentType.objects.get_for_model(Member)
    sanctions = []
    offenders = rng.sample(member_ids, min(len(member_ids), max(4, total // 60)))
    for i, pk in enumerate(offenders):
        kind = ["warn", "warn", "warn", "silence", "silence", "suspend", "ban"][i % 7]
        created = when(0.1, 1.0)
        ends = None
        if kind == "silence":
            ends = created + timedelta(days=rng.choice([1, 3, 7]))
        elif kind == "suspend":
            ends = created + timedelta(days=rng.choice([7, 30]))
        ended = ends if ends and ends < now else None
        if kind == "ban" and i % 2:
            kind = "warn"
        sanctions.append(
            Sanction(
                member_id=pk,
                kind=kind,
                rule=rng.choice(rules),
                reason=rng.choice(REASONS),
                created_by_id=rng.choice(moderator_ids),
                created_at=created,
                ends_at=ends,
                ended_at=ended,
            )
        )
    Sanction.objects.bulk_create(sanctions)
    for s in Sanction.objects.filter(member_id__in=offenders):
        audit.append(
            AuditLogEntry(
                actor_id=s.created_by_id,
                action=s.kind,
                target_type=member_ct,
                target_id=s.member_id,
                target_repr=f"member #{s.member_id}",
                member_id=s.member_id,
                rule=s.rule,
                reason=s.reason,
                created_at=s.created_at,
                data={"sanction": s.pk},
            )
        )
        if s.ended_at is None and s.kind in ("silence", "suspend", "ban"):
            field = {"silence": "silenced_until", "suspend": "suspended_until", "ban": "banned_at"}[
                s.kind
            ]
            Member.objects.filter(pk=s.member_id).update(
                **{field: s.created_at if s.kind == "ban" else s.ends_at}
            )
    audit.append(
        AuditLogEntry(
            actor_id=v2.published_by_id,
            action="document_publish",
            target_type=ContentType.objects.get_for_model(DocumentVersion),
            target_id=v2.pk,
            target_repr=str(v2),
            reason=v2.change_summary,
            created_at=v2.published_at,
            data={"number": 2},
        )
    )
    for batch in chunks(audit, ctx.batch_size):
        AuditLogEntry.objects.bulk_create(batch)
    ctx.log(
        f"  rules v2, {len(flags)} flags, {len(queue)} queue items, "
        f"{len(sanctions)} sanctions, {len(audit)} audit rows"
    )
