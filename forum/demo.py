"""Demo Q&A: categories, tags, questions with answers, comments, votes, accepted answers,
FAQ entries and "did this answer your question?" feedback, spread over the history window.

Everything is generated in memory with ids assigned up front, so counters (scores, answer
counts, reputation, tag counts) are exact without per-row queries, then bulk-inserted in
batches. Paragraphs come from a limited set of templates and are rendered to HTML once each,
so 100,000 questions and 300,000 answers take a couple of minutes.
"""

import json
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model
from django.utils.text import slugify

from config.markdown import render_markdown
from config.seeding import SeedContext, bulk_insert, foreign_keys_checked_after
from members.models import Member
from search.vectors import is_postgres, vector_texts, vector_update

from .models import (
    Answer,
    AnswerVote,
    Category,
    Comment,
    DeflectionFeedback,
    FaqEntry,
    Follow,
    Question,
    QuestionVote,
    Tag,
)
from .services.common import REPUTATION_ACCEPTED, REPUTATION_DOWN, REPUTATION_UP

# The words the demo Q&A is made of (categories, tags, title and paragraph templates, comments,
# hand-written FAQ entries): data, kept in a file of its own.
_TEXTS = json.loads((Path(__file__).parent / "demo_texts.json").read_text(encoding="utf-8"))
CATEGORIES: list[tuple[str, str, str]] = [tuple(row) for row in _TEXTS["categories"]]
RU_CATEGORIES: dict[str, list[str]] = _TEXTS["ru_categories"]  # slug: [name, description]
TAGS: list[str] = _TEXTS["tags"]
CATEGORY_TAGS: dict[str, list[str]] = _TEXTS["category_tags"]
OBJECTS: dict[str, list[str]] = _TEXTS["objects"]
TITLES: list[str] = _TEXTS["titles"]
RU_TITLES: list[str] = _TEXTS["ru_titles"]
RU_OBJECTS: list[str] = _TEXTS["ru_objects"]
Q_PARAGRAPHS: list[str] = _TEXTS["q_paragraphs"]
A_PARAGRAPHS: list[str] = _TEXTS["a_paragraphs"]
RU_PARAGRAPHS: list[str] = _TEXTS["ru_paragraphs"]
COMMENTS: list[str] = _TEXTS["comments"]
SECTIONS: list[str] = _TEXTS["sections"]
FAQ: list[tuple[str, str, str]] = [tuple(row) for row in _TEXTS["faq"]]


class _Html:
    """Markdown rendered once per distinct paragraph."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, paragraphs: list[str]) -> tuple[str, str]:
        parts = []
        for p in paragraphs:
            if p not in self.cache:
                self.cache[p] = render_markdown(p)
            parts.append(self.cache[p])
        return "\n\n".join(paragraphs), "".join(parts)


def _next_id(model: type[Model]) -> int:
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def _reset_sequences(models: list[type[Model]]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            sql = (
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
            cursor.execute(sql)


def _with_search_vectors(
    model: type[Question | Answer], rows: list[Question] | list[Answer], *, title: str | None
) -> None:
    """Give each row the vector ``search.vector_update`` would build, computed once per
    distinct text (the demo reuses its paragraphs: ~25,000 texts for 100,000 questions, a few
    hundred for 300,000 answers), so the rows are written once with it instead of all being
    rewritten by an UPDATE afterwards."""

    def text(row: Question | Answer) -> tuple[str, ...]:
        return (row.title, row.body) if title else (row.body,)

    texts = list({text(row) for row in rows})
    vectors = dict(zip(texts, vector_texts(model, texts, title=title), strict=True))
    for row in rows:
        row.search_vector = vectors[text(row)]


def seed(ctx: SeedContext) -> None:
    if Category.objects.filter(slug="getting-started").exists():
        ctx.log("  forum Q&A already seeded, skipping")
        ctx.data["question_ids"] = list(Question.objects.values_list("id", flat=True))
        return
    rng = ctx.rng
    member_ids = ctx.data.get("member_ids") or list(
        Member.objects.filter(is_staff=False).values_list("id", flat=True)
    )
    staff_ids = ctx.data.get("staff_ids") or list(
        Member.objects.filter(is_staff=True).values_list("id", flat=True)
    )
    if not member_ids:
        ctx.log("  no members to write questions; skipping forum")
        return
    staff_ids = staff_ids or member_ids[:1]
    ambassador_ids = list(Member.objects.filter(badge="ambassador").values_list("id", flat=True))
    joined = dict(Member.objects.filter(pk__in=member_ids).values_list("id", "date_joined"))
    html = _Html()
    t0 = time.monotonic()
    start, now = ctx.history_start, ctx.now
    span = (now - start).total_seconds()

    loaded = [
        Question,
        Answer,
        Question.tags.through,
        QuestionVote,
        AnswerVote,
        Comment,
        Follow,
        DeflectionFeedback,
    ]
    with foreign_keys_checked_after(*loaded):
        categories = Category.objects.bulk_create(
            [
                Category(
                    slug=slug,
                    name=name,
                    description=desc,
                    name_ru=RU_CATEGORIES[slug][0],
                    description_ru=RU_CATEGORIES[slug][1],
                    position=i,
                    ambassadors_only=slug == "ambassador-lounge",
                )
                for i, (slug, name, desc) in enumerate(CATEGORIES)
            ]
        )
        Tag.objects.bulk_create([Tag(name=t, slug=t) for t in TAGS], ignore_conflicts=True)
        tags = {t.slug: t for t in Tag.objects.filter(slug__in=TAGS)}
        by_slug = {c.slug: c for c in Category.objects.filter(slug__in=[c[0] for c in CATEGORIES])}
        del categories

        # --- questions ---------------------------------------------------------------
        n_questions = ctx.size("questions")
        qid = _next_id(Question)
        questions: list[Question] = []
        question_tags: list[tuple[int, int]] = []
        tag_counts: dict[int, int] = {}
        progress = ctx.progress("questions", n_questions)
        public_slugs = [s for s, *_ in CATEGORIES if s != "ambassador-lounge"]
        for i in range(n_questions):
            private = ambassador_ids and rng.random() < 0.02
            cat_slug = "ambassador-lounge" if private else rng.choice(public_slugs)
            obj = rng.choice(OBJECTS[cat_slug])
            russian = rng.random() < 0.2
            if russian:
                ru = rng.choice(RU_OBJECTS)
                title = rng.choice(RU_TITLES).format(ru=ru)
                paragraphs = [rng.choice(RU_PARAGRAPHS).format(ru=ru, section=rng.choice(SECTIONS))]
            else:
                title = rng.choice(TITLES).format(obj=obj, Obj=obj[:1].upper() + obj[1:])
                paragraphs = rng.sample(Q_PARAGRAPHS, 2)
                paragraphs = [
                    p.format(
                        obj=obj,
                        n=rng.choice([5, 12, 40, 200]),
                        day=rng.choice(["Monday", "Friday", "the 1st"]),
                    )
                    for p in paragraphs
                ]
            body, body_html = html(paragraphs)
            # More questions recently: the community grows.
            created = start + timedelta(seconds=span * (rng.random() ** 0.6))
            author = rng.choice(ambassador_ids) if private else ctx.writer("create", member_ids)
            if joined.get(author) and joined[author] > created:
                created = min(now, joined[author] + timedelta(hours=rng.randint(1, 48)))
            q = Question(
                id=qid + i,
                author_id=author,
                category_id=by_slug[cat_slug].pk,
                title=title,
                slug=slugify(title, allow_unicode=True)[:200] or "q",
                body=body,
                body_html=body_html,
                created_at=created,
                last_activity_at=created,
                view_count=rng.randint(3, 400),
                follower_count=1,
            )
            q.deleted_at = None
            q._answers = []
            questions.append(q)
            for slug in rng.sample(
                CATEGORY_TAGS[cat_slug], min(len(CATEGORY_TAGS[cat_slug]), rng.randint(1, 3))
            ):
                question_tags.append((q.id, tags[slug].pk))
                tag_counts[tags[slug].pk] = tag_counts.get(tags[slug].pk, 0) + 1
            progress.advance()
        progress.finish()

        # --- answers -----------------------------------------------------------------
        n_answers = ctx.size("answers")
        aid = _next_id(Answer)
        answers: list[Answer] = []
        progress = ctx.progress("answers", n_answers)
        # About one question in six stays unanswered.
        answerable = [q for q in questions if rng.random() > 0.16] or questions
        # A few popular threads with 35 answers each (the benchmark measures one).
        popular = answerable[: max(1, min(50, len(answerable) // 100))]
        reserved = len(popular) * 35 if n_answers >= len(popular) * 70 else 0
        for i in range(n_answers):
            q = popular[i // 35] if i < reserved else rng.choice(answerable)
            official = rng.random() < 0.15
            if q.body and any(ch in q.title for ch in "аеиоуыэюя"):
                paragraphs = [
                    rng.choice(RU_PARAGRAPHS).format(
                        ru=rng.choice(RU_OBJECTS), section=rng.choice(SECTIONS)
                    )
                ]
            else:
                section = rng.choice(SECTIONS)
                paragraphs = [
                    p.format(
                        section=section,
                        n=rng.randint(1, 9),
                        obj=rng.choice(OBJECTS["troubleshooting"]),
                        slug=section.lower(),
                    )
                    for p in rng.sample(A_PARAGRAPHS, rng.randint(1, 2))
                ]
            body, body_html = html(paragraphs)
            created = min(now, q.created_at + timedelta(hours=rng.expovariate(1 / 20)))
            author = rng.choice(staff_ids) if official else ctx.writer("contribute", member_ids)
            a = Answer(
                id=aid + i,
                question_id=q.id,
                author_id=author,
                body=body,
                body_html=body_html,
                created_at=created,
                is_official=official,
            )
            q._answers.append(a)
            answers.append(a)
            progress.advance()
        progress.finish()

        reputation: dict[int, int] = {}
        for q in questions:
            if not q._answers:
                continue
            q._answers.sort(key=lambda a: a.created_at)
            q.answer_count = len(q._answers)
            q.first_answered_at = q._answers[0].created_at
            q.last_activity_at = max(a.created_at for a in q._answers)
            officials = [a.created_at for a in q._answers if a.is_official]
            q.official_answered_at = officials[0] if officials else None
            if rng.random() < 0.55:
                best = rng.choice(q._answers)
                best.is_accepted = True
                best.accepted_at = min(now, best.created_at + timedelta(hours=rng.randint(1, 72)))
                q.accepted_answer_id = best.id
                q.solved_at = best.accepted_at
                if best.author_id != q.author_id:
                    reputation[best.author_id] = (
                        reputation.get(best.author_id, 0) + REPUTATION_ACCEPTED
                    )
            elif q.first_answered_at < now - timedelta(days=5) and rng.random() < 0.5:
                q.accept_reminder_sent_at = q.first_answered_at + timedelta(days=3)

        # --- votes -------------------------------------------------------------------
        n_votes = ctx.size("votes")
        question_votes, answer_votes = [], []
        seen: set[int] = set()
        progress = ctx.progress("votes", n_votes)
        popular_answers = answers or []
        # Draws that hit the author or a repeated vote are drawn again, so the count is exact
        # (within a bound, for tiny communities where it cannot be reached).
        draws = 0
        while len(question_votes) + len(answer_votes) < n_votes and draws < 3 * n_votes + 100:
            draws += 1
            on_answer = popular_answers and rng.random() < 0.7
            post = rng.choice(popular_answers) if on_answer else rng.choice(questions)
            voter = ctx.writer("vote", member_ids)
            key = (post.id * 4 + (1 if on_answer else 0)) * 10_000_000 + voter
            if voter == post.author_id or key in seen:
                continue
            seen.add(key)
            value = -1 if rng.random() < 0.12 else 1
            when = min(now, post.created_at + timedelta(hours=rng.expovariate(1 / 48)))
            post.score = (post.score or 0) + value
            rep = REPUTATION_UP if value > 0 else REPUTATION_DOWN
            reputation[post.author_id] = reputation.get(post.author_id, 0) + rep
            if on_answer:
                answer_votes.append(
                    AnswerVote(answer_id=post.id, member_id=voter, value=value, created_at=when)
                )
            else:
                question_votes.append(
                    QuestionVote(question_id=post.id, member_id=voter, value=value, created_at=when)
                )
            progress.advance()
        progress.finish()
        del seen

        # --- comments ----------------------------------------------------------------
        question_ct = ContentType.objects.get_for_model(Question)
        answer_ct = ContentType.objects.get_for_model(Answer)
        comments = []
        comment_html = _Html()
        for _ in range(ctx.size("comments")):
            on_answer = answers and rng.random() < 0.6
            target = rng.choice(answers) if on_answer else rng.choice(questions)
            body, body_html = comment_html([rng.choice(COMMENTS)])
            target.comment_count = (target.comment_count or 0) + 1
            comments.append(
                Comment(
                    author_id=ctx.writer("contribute", member_ids),
                    target_type=answer_ct if on_answer else question_ct,
                    target_id=target.id,
                    body=body,
                    body_html=body_html,
                    created_at=min(now, target.created_at + timedelta(hours=rng.randint(1, 96))),
                )
            )

        # --- write -------------------------------------------------------------------
        if is_postgres():
            _with_search_vectors(Question, questions, title="title")
            _with_search_vectors(Answer, answers, title=None)
            ctx.log(f"  [{time.monotonic() - t0:.1f}s] search vectors computed")
        progress = ctx.progress("writing Q&A", len(questions) + len(answers))
        bulk_insert(ctx, Question, questions)
        progress.advance(len(questions))
        bulk_insert(ctx, Answer, answers)
        progress.advance(len(answers))
        progress.finish()
        through = Question.tags.through
        bulk_insert(ctx, through, [through(question_id=q, tag_id=t) for q, t in question_tags])
        ctx.log(f"  [{time.monotonic() - t0:.1f}s] tags written")
        bulk_insert(ctx, QuestionVote, question_votes)
        bulk_insert(ctx, AnswerVote, answer_votes)
        bulk_insert(ctx, Comment, comments)
        bulk_insert(
            ctx,
            Follow,
            [
                Follow(
                    member_id=q.author_id,
                    target_type=question_ct,
                    target_id=q.id,
                    created_at=q.created_at,
                )
                for q in questions
            ],
        )
        ctx.log(f"  [{time.monotonic() - t0:.1f}s] votes, comments and follows written")
        for tag_id, count in tag_counts.items():
            Tag.objects.filter(pk=tag_id).update(question_count=count)
        members = [Member(pk=pk, reputation=value) for pk, value in reputation.items()]
        Member.objects.bulk_update(members, ["reputation"], batch_size=1000)
        _reset_sequences([Question, Answer])

        # --- FAQ and feedback --------------------------------------------------------
        faq_entries = []
        solved = [
            q
            for q in questions
            if q.accepted_answer_id and q.category_id != by_slug["ambassador-lounge"].pk
        ]
        for position, (cat_slug, title, body) in enumerate(FAQ[: max(ctx.size("faq"), 1)]):
            source = rng.choice(solved) if solved and rng.random() < 0.3 else None
            created = start + timedelta(days=rng.randint(0, max(1, ctx.size("history_days") // 2)))
            faq_entries.append(
                FaqEntry(
                    category=by_slug[cat_slug],
                    title=title,
                    slug=slugify(title, allow_unicode=True),
                    body=body,
                    body_html=render_markdown(body),
                    position=position,
                    source_question_id=source.id if source else None,
                    view_count=rng.randint(50, 3000),
                    created_by_id=staff_ids[0],
                    created_at=created,
                    updated_at=created,
                    review_by=(now - timedelta(days=10)).date()
                    if rng.random() < 0.2
                    else (now + timedelta(days=120)).date(),
                )
            )
        # Beyond the hand-written entries, staff promoted solved questions (as on a real site).
        promotable = [q for q in solved if q.accepted_answer_id]
        rng.shuffle(promotable)
        for position, q in enumerate(
            promotable[: max(0, ctx.size("faq") - len(faq_entries))], start=len(faq_entries)
        ):
            accepted = next((a for a in q._answers if a.id == q.accepted_answer_id), None)
            if accepted is None:
                continue
            created = min(now, q.solved_at + timedelta(days=rng.randint(1, 20)))
            faq_entries.append(
                FaqEntry(
                    category_id=q.category_id,
                    title=q.title,
                    slug=q.slug,
                    body=accepted.body,
                    body_html=accepted.body_html,
                    position=position,
                    source_question_id=q.id,
                    view_count=rng.randint(20, 1500),
                    created_by_id=staff_ids[0],
                    created_at=created,
                    updated_at=created,
                    review_by=(now + timedelta(days=rng.randint(-30, 180))).date(),
                )
            )
        faq_entries = FaqEntry.objects.bulk_create(faq_entries)
        feedback, seen_feedback = [], set()
        n_feedback = max(10, len(solved) // 3)
        for _ in range(n_feedback):
            member = rng.choice(member_ids)
            if faq_entries and rng.random() < 0.4:
                entry = rng.choice(faq_entries)
                key = ("f", entry.pk, member)
                target = {"faq_entry_id": entry.pk}
                when = entry.created_at + timedelta(days=rng.randint(0, 90))
            elif solved:
                q = rng.choice(solved)
                key = ("q", q.id, member)
                target = {"question_id": q.id}
                when = q.solved_at + timedelta(hours=rng.randint(1, 24 * 30))
            else:
                continue
            if key in seen_feedback:
                continue
            seen_feedback.add(key)
            helpful = rng.random() < 0.78
            feedback.append(
                DeflectionFeedback(
                    member_id=member,
                    helpful=helpful,
                    created_at=min(now, when),
                    would_have_contacted_support=(rng.random() < 0.55) if helpful else None,
                    **target,
                )
            )
        bulk_insert(ctx, DeflectionFeedback, feedback)
        tallies: dict[int, list[int]] = {}
        for f in feedback:
            if f.faq_entry_id:
                tally = tallies.setdefault(f.faq_entry_id, [0, 0])
                tally[0 if f.helpful else 1] += 1
        for entry in faq_entries:
            yes, no = tallies.get(entry.pk, (0, 0))
            FaqEntry.objects.filter(pk=entry.pk).update(helpful_yes=yes, helpful_no=no)

        vector_update(FaqEntry.objects.all())

    ctx.data["question_ids"] = [q.id for q in questions]
    ctx.data["answer_ids"] = [a.id for a in answers]
    ctx.log(
        f"  {len(questions)} questions, {len(answers)} answers, "
        f"{len(question_votes) + len(answer_votes)} votes, {len(comments)} comments, "
        f"{len(faq_entries)} FAQ entries"
    )
