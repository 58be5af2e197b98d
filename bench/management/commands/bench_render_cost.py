"""What a main page costs to render in-process with the site's caches off: the median
milliseconds over N renders after a warm-up, and SQL queries per render, through Django's test
client against the bench database (no HTTP, no gunicorn, no other traffic). Run by
bench/run.py with ``VECHE_PAGE_CACHE_SECONDS=0``; prints JSON. The renders run as in gunicorn's
workers: with room on CPython's frame stack (config/stack.py; without it, what a render cost
depended on where this command's stack happened to cross a chunk's end, up to ~1.9x) and with
their garbage collector's settings (config/collector.py)."""

import functools
import json
import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.collector import settle
from config.stack import in_roomy_stack
from forum.models import Question, Tag

from .bench_prepare import _users


def _pages() -> list[dict[str, str]]:
    question = (
        Question.objects.filter(
            answer_count__gte=30, deleted_at__isnull=True, category__ambassadors_only=False
        )
        .order_by("answer_count", "id")
        .first()
        or Question.objects.filter(deleted_at__isnull=True).order_by("-answer_count", "id").first()
    )
    tag = Tag.objects.order_by("-question_count", "slug").first()
    pages = []
    if question is not None:
        label = f"question ({question.answer_count} answers)"
        url = question.get_absolute_url()
        pages += [
            {"name": label, "url": url, "as": "anonymous"},
            {"name": label, "url": url, "as": "member"},
        ]
    pages += [
        {"name": "question list", "url": "/questions/", "as": "anonymous"},
        {"name": "question list", "url": "/questions/", "as": "member"},
    ]
    if tag is not None:
        pages.append({"name": "tag page", "url": tag.get_absolute_url(), "as": "anonymous"})
    pages.append({"name": "search", "url": "/search/?q=export+errors", "as": "anonymous"})
    # The pages a member's profile showed costing most per render: the FAQ and the idea board.
    for name, url in (("faq", "/faq/"), ("ideas list", "/ideas/")):
        pages += [{"name": name, "url": url, "as": who} for who in ("anonymous", "member")]
    pages.append({"name": "home", "url": "/", "as": "anonymous"})
    # The REST API's busiest lists (issue 16), read by a member's session as the site's own
    # scripts would.
    for name, url in (("API questions", "/api/v1/questions"), ("API ideas", "/api/v1/ideas")):
        pages.append({"name": name, "url": url, "as": "member"})
    return pages


def render_cost(page: dict[str, str], client: Client, *, repeat: int, warmup: int) -> dict:
    for _ in range(warmup):
        client.get(page["url"], secure=True)
    times, cpu = [], []
    status = 200
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = client.get(page["url"], secure=True)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
        status = max(status, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(page["url"], secure=True)
    return {
        **page,
        "status": status,
        "renders": repeat,
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        # This process's own CPU time: without the waits for PostgreSQL and Redis, and without
        # the time the host gave the core to others (bench/compare.py compares these).
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": len(captured.captured_queries),
    }


class Command(BaseCommand):
    help = "Benchmark helper: in-process render cost of the main pages with caches off (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--page", type=int, help="only the page of this index in the list")
        parser.add_argument("--count-pages", action="store_true", help="print how many pages")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "VECHE_PAGE_CACHE_SECONDS", 60) > 0:
            raise CommandError("run with VECHE_PAGE_CACHE_SECONDS=0: this measures renders")
        member = _users()["member"]
        results = []
        pages = _pages()
        if options["count_pages"]:
            self.stdout.write(str(len(pages)))
            return
        if options["page"] is not None:
            pages = pages[options["page"] : options["page"] + 1]
        settle()  # as config/wsgi.py leaves a worker
        for page in pages:
            client = Client()
            if page["as"] == "member" and member is not None:
                client.force_login(member)
            measure = functools.partial(
                render_cost, page, client, repeat=options["repeat"], warmup=options["warmup"]
            )
            results.append(in_roomy_stack(measure))
        self.stdout.write(json.dumps(results))
