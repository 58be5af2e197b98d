"""The mixed workload's raw material, read from the bench database: published questions (ids,
slugs, authors), some of their answers, the busiest tags, titles to take search words from,
and ~300 members signed in beforehand (sessions created directly in the session store, as
``bench_prepare`` does for its single member). bench/paths.py turns it into request lists."""

import json
import random
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from forum.models import Question, Tag
from forum.permissions.questions import answers_visible_to, questions_public
from members.demo import DEMO_PASSWORD
from members.models import MODERATORS_GROUP, Member

# Paths users see; they do not change when code moves between apps.
URLS = {
    "home": "/",
    "faq": "/faq/",
    "ideas": "/ideas/",
    "roadmap": "/ideas/roadmap/",
    "questions": "/questions/",
    "search": "/search/",
    "login": "/accounts/login/",
    "api": "/api/v1/",
}


def session_cookie(member: Member) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def writing_members(count: int, rng: random.Random) -> list[Member]:
    """Ordinary members in good standing who have taken part a little (trust level 1 or more:
    new members' first posts wait for approval and they cannot down-vote)."""
    now = timezone.now()
    ids = list(
        Member.objects.filter(is_active=True, is_staff=False, banned_at__isnull=True)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lt=now))
        .filter(Q(silenced_until__isnull=True) | Q(silenced_until__lt=now))
        .filter(trust_level__gte=1)
        .exclude(groups__name=MODERATORS_GROUP)
        .order_by("id")
        .values_list("id", flat=True)
    )
    chosen = sorted(rng.sample(ids, min(count, len(ids))))
    return list(Member.objects.filter(id__in=chosen).order_by("id"))


def raw_material(*, questions: int, members: int, tags: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    public_ids = list(questions_public().order_by("id").values_list("id", flat=True))
    sample = set(rng.sample(public_ids, min(questions, len(public_ids))))
    rows: list[dict[str, Any]] = []
    # The in-memory sample is a few thousand ids; fetched in chunks to keep the IN lists short.
    ordered = sorted(sample)
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        for question in Question.objects.filter(id__in=chunk).only(
            "id", "title", "slug", "author_id", "answer_count", "is_locked", "closed_at"
        ):
            rows.append(
                {
                    "id": question.pk,
                    "url": question.get_absolute_url(),
                    "title": question.title,
                    "author": question.author_id,
                    "answers": question.answer_count,
                    "open": not question.is_locked and question.closed_at is None,
                }
            )
    rows.sort(key=lambda r: r["id"])
    rng.shuffle(rows)  # popularity rank (bench/paths.py) is this order: random, not by id
    answer_rows = []
    visible_answers = answers_visible_to(AnonymousUser()).filter(question__is_locked=False)
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        answer_rows += [
            {"id": pk, "question": qid, "author": author}
            for pk, qid, author in visible_answers.filter(question_id__in=chunk)
            .order_by("id")
            .values_list("id", "question_id", "author_id")[:2000]
        ]
    rng.shuffle(answer_rows)
    tag_urls = [
        tag.get_absolute_url()
        for tag in Tag.objects.filter(question_count__gt=0).order_by("-question_count", "slug")[
            :tags
        ]
    ]
    signed_in = [
        {"id": m.pk, "username": m.username, "cookie": session_cookie(m)}
        for m in writing_members(members, rng)
    ]
    return {
        "questions": rows,
        "answers": answer_rows[: max(questions, 1)],
        "tags": tag_urls,
        "members": signed_in,
        "urls": URLS,
        "password": DEMO_PASSWORD,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
    }


class Command(BaseCommand):
    help = "Benchmark helper: write the mixed workload's questions, tags and members as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True)
        parser.add_argument("--questions", type=int, default=5000)
        parser.add_argument("--members", type=int, default=300)
        parser.add_argument("--tags", type=int, default=60)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        data = raw_material(
            questions=options["questions"],
            members=options["members"],
            tags=options["tags"],
            seed=options["seed"],
        )
        Path(options["out"]).write_text(json.dumps(data, ensure_ascii=False))
        self.stdout.write(
            f"{len(data['questions'])} questions, {len(data['answers'])} answers, "
            f"{len(data['tags'])} tags, {len(data['members'])} members signed in"
        )
