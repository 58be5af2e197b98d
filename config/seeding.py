"""Shared machinery for ``manage.py seed_demo`` (and the benchmark's large seeding).

Each app has a ``demo.py`` with ``seed(ctx: SeedContext) -> None``; the command calls them in
the order of ``settings.VECHE_DEMO_SEEDERS`` (the composition root names the apps: config and
members, where the command lives, know none of the apps above them). A seeder must be fast
(bulk inserts), deterministic for a given ``ctx.rng`` and safe to run twice (it returns early
when its data is already there).
"""

import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_SIZES = {
    "members": 120,
    "questions": 400,
    "answers": 1000,
    "comments": 800,
    "votes": 4000,
    "ideas": 60,
    "idea_votes": 900,
    "idea_comments": 150,
    "activity_days": 1500,  # about 15 % of monthly actives on a day (DAU ÷ MAU)
    "flags": 40,
    "referrals": 60,
    "faq": 25,
    "history_days": 210,
}


@dataclass
class SeedContext:
    stdout: TextIO | OutputWrapper = sys.stdout  # a command's self.stdout in seed_demo
    rng: random.Random = field(default_factory=lambda: random.Random(20261123))
    sizes: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SIZES))
    now: Any = field(default_factory=timezone.now)
    batch_size: int = 2000
    quiet: bool = False
    data: dict[str, Any] = field(default_factory=dict)  # seeders share ids here

    def size(self, key: str) -> int:
        return int(self.sizes.get(key, DEFAULT_SIZES.get(key, 0)))

    @property
    def history_start(self):
        return self.now - timedelta(days=self.size("history_days"))

    def log(self, message: str) -> None:
        if not self.quiet:
            self.stdout.write(message + "\n")
            self.stdout.flush()

    def progress(self, label: str, total: int) -> "Progress":
        return Progress(self, label, total)

    def writer(self, role: str, member_ids: Sequence[int]) -> int:
        """An author for a post of ``role``, so that most members read and few write (the
        90-9-1 shape): ``create`` (a question, an idea) mostly one of the few creators,
        ``contribute`` (an answer, a comment) mostly a contributor or a creator, ``vote``
        only them. The writers are chosen by the members seeder (``ctx.data``); without
        them, anyone in ``member_ids``."""
        creators: list[int] = self.data.get("creator_ids") or []
        contributors: list[int] = self.data.get("contributor_ids") or []
        rng = self.rng
        if not creators or not contributors:
            return rng.choice(member_ids)
        roll = rng.random()
        if role == "create":
            if roll < 0.97:
                return rng.choice(creators)
        elif role == "contribute":
            if roll < 0.7:
                return rng.choice(contributors)
            if roll < 0.95:
                return rng.choice(creators)
        else:
            return rng.choice(contributors if roll < 0.75 else creators)
        return rng.choice(member_ids)

    def voters(self, member_ids: Sequence[int], share: float = 0.05) -> list[int]:
        """Who votes on ideas: the writers and a few others (``share`` of the members)."""
        writers = [*self.data.get("creator_ids", []), *self.data.get("contributor_ids", [])]
        if not writers:
            return list(member_ids)
        chosen = set(writers)
        others = [pk for pk in member_ids if pk not in chosen]
        extra = self.rng.sample(others, min(len(others), int(len(member_ids) * share)))
        return writers + extra


class Progress:
    """A one-line text progress bar: ``members  [#########.........]  450/1000``."""

    width = 30

    def __init__(self, ctx: SeedContext, label: str, total: int):
        self.ctx, self.label, self.total = ctx, label, max(total, 1)
        self.done = 0
        self.started = time.monotonic()
        self._last = -1

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        filled = int(self.width * self.done / self.total)
        if filled != self._last or self.done == self.total:
            self._last = filled
            if not self.ctx.quiet:
                bar = "#" * filled + "." * (self.width - filled)
                self.ctx.stdout.write(f"\r  {self.label:<18} [{bar}] {self.done}/{self.total}")
                self.ctx.stdout.flush()

    def finish(self) -> None:
        self.done = self.total
        self.advance(0)
        if not self.ctx.quiet:
            self.ctx.stdout.write(f"  {time.monotonic() - self.started:.1f}s\n")


def seeders() -> list[tuple[str, Callable[[SeedContext], None]]]:
    """``(label, seed)`` of every demo seeder, in the order they run: ``members`` for
    ``members.demo.seed``, ``ideas.demo`` for ``ideas.demo.seed``."""
    found = []
    for path in settings.VECHE_DEMO_SEEDERS:
        module = path.rpartition(".")[0]
        found.append((module.removesuffix(".demo"), import_string(path)))
    return found


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_insert(ctx: SeedContext, model, objs: list) -> None:
    """Insert model instances fast: COPY on PostgreSQL (no per-object Django overhead, which
    dominates at benchmark sizes), bulk_create in batches elsewhere. The rows must not
    conflict with each other or with rows already there (COPY has no ``ignore_conflicts``);
    ``search_vector`` columns are written only when the first row has one (else they stay
    empty, to be built in one statement afterwards)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        for batch in chunks(objs, ctx.batch_size * 5):
            model.objects.bulk_create(batch, batch_size=ctx.batch_size)
        return
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if (f.name != "search_vector" or getattr(objs[0], f.attname) is not None)
        and (f is not model._meta.pk or objs[0].pk)
    ]
    copy_rows(model, fields, ([getattr(obj, name) for name in fields] for obj in objs))


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL only: COPY plain value rows (in the order of ``fields``, attribute names such
    as ``member_id``) into ``model``'s table, without building model instances."""
    opts = model._meta
    columns = ", ".join(connection.ops.quote_name(opts.get_field(name).column) for name in fields)
    table = connection.ops.quote_name(opts.db_table)
    written = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


@contextmanager
def foreign_keys_checked_after(*models) -> Iterator[None]:
    """A transaction for a bulk load. On PostgreSQL, when it is the outermost one, the foreign
    keys of ``models``' tables are dropped for the block and added back after it, which checks
    all rows in one join per key instead of one lookup per row at commit (PostgreSQL's advice
    for populating a database; the row checks took ~40 s of the benchmark seeding). The keys
    are back, or the load is undone, whatever happens. Inside an outer transaction (tests)
    the keys stay: tables written earlier in it have pending checks, and ALTER TABLE refuses
    those."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    quote = connection.ops.quote_name
    with transaction.atomic():
        keys = []
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    keys.append((table, name, definition))
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        yield
        with connection.cursor() as cursor:
            for table, name, definition in keys:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
