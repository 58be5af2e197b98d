"""Helpers for bench/run.py: pick the pages to measure, make sessions, count queries."""

import json
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from members.models import Member


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _users() -> dict[str, Member | None]:
    staff = Member.objects.filter(is_staff=True, is_active=True).order_by("id").first()
    member = (
        Member.objects.filter(is_staff=False, is_active=True, banned_at__isnull=True)
        .order_by("-reputation", "id")
        .first()
    )
    moderator = Member.objects.filter(groups__name="Moderators").order_by("id").first() or staff
    return {"member": member, "staff": staff, "moderator": moderator}


def _session_cookie(member: Member) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _pages(users: dict[str, Member | None]) -> list[dict]:
    pages = [
        {"name": "floor", "url": "/_bench/floor/", "as": "anonymous"},
        {"name": "home", "url": "/", "as": "anonymous"},
        {"name": "home (member)", "url": "/", "as": "member"},
    ]
    questions = _url("forum:question-list")
    if questions:
        pages.append({"name": "questions", "url": questions, "as": "anonymous"})
        pages.append({"name": "questions (member)", "url": questions, "as": "member"})
        pages.append(
            {
                "name": "questions unanswered",
                "url": questions + "?status=unanswered",
                "as": "anonymous",
            }
        )
    Tag = _model("forum.Tag")
    if Tag is not None:
        tag = Tag.objects.order_by("-question_count").first()
        if tag:
            pages.append(
                {"name": "questions by tag", "url": tag.get_absolute_url(), "as": "anonymous"}
            )
    Question = _model("forum.Question")
    Answer = _model("forum.Answer")
    if Question is not None and Answer is not None:
        fields = {f.name for f in Question._meta.get_fields()}
        qs = Question.objects.all()
        if "answer_count" in fields:
            qs = qs.filter(answer_count__gte=30).order_by("answer_count", "id")
        else:
            qs = qs.annotate(n=Count("answers")).filter(n__gte=30).order_by("n", "id")
        question = qs.first() or Question.objects.order_by("id").first()
        if question:
            pages.append(
                {
                    "name": "question (30 answers)",
                    "url": question.get_absolute_url(),
                    "as": "anonymous",
                }
            )
            pages.append(
                {"name": "question (member)", "url": question.get_absolute_url(), "as": "member"}
            )
    for name, label in (
        ("forum:faq", "faq"),
        ("ideas:idea-list", "ideas"),
        ("ideas:idea-roadmap", "roadmap"),
    ):
        url = _url(name)
        if url:
            pages.append({"name": label, "url": url, "as": "anonymous"})
    search = _url("search:search")
    if search:
        pages.append({"name": "search en", "url": search + "?q=export+errors", "as": "anonymous"})
        ru = "?q=%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B8"  # «ошибки»
        pages.append({"name": "search ru", "url": search + ru, "as": "anonymous"})
    if users["member"]:
        pages.append(
            {"name": "member profile", "url": users["member"].get_absolute_url(), "as": "anonymous"}
        )
    inbox = _url("moderation:inbox")
    if inbox:
        pages.append({"name": "moderation inbox", "url": inbox, "as": "moderator"})
    dashboard = _url("analytics:dashboard")
    if dashboard:
        pages.append({"name": "analytics dashboard", "url": dashboard, "as": "staff"})
    return pages


class Command(BaseCommand):
    help = (
        "Benchmark helper: --targets prints pages and session cookies as JSON, --queries "
        "counts SQL queries per page, --vacuum runs VACUUM ANALYZE, --analyze ANALYZE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--targets", action="store_true")
        parser.add_argument("--queries")
        parser.add_argument("--vacuum", action="store_true")
        parser.add_argument("--analyze", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["vacuum"] and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        if options["analyze"] and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        users = _users()
        if options["targets"]:
            counts = {}
            for label in (
                "members.Member",
                "forum.Question",
                "forum.Answer",
                "forum.Comment",
                "ideas.Idea",
                "ideas.IdeaVote",
                "members.ActivityDay",
                "moderation.Flag",
                "ambassadors.Referral",
                "forum.FAQEntry",
            ):
                model = _model(label)
                if model is not None:
                    counts[label] = model.objects.count()
            self.stdout.write(
                json.dumps(
                    {
                        "pages": _pages(users),
                        "cookies": {role: _session_cookie(m) for role, m in users.items() if m},
                        "counts": counts,
                    }
                )
            )
        if options["queries"]:
            results = {}
            for page in json.loads(options["queries"]):
                client = Client()
                member = users.get(page["as"]) if page["as"] != "anonymous" else None
                if member is not None:
                    client.force_login(member)
                client.get(page["url"], secure=True)  # warm caches as a running site would be
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(page["url"], secure=True)
                results[page["name"]] = (
                    len(captured.captured_queries)
                    if response.status_code < 400
                    else f"HTTP {response.status_code}"
                )
            self.stdout.write(json.dumps(results))
