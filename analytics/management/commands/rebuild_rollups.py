from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics import services


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Recompute the analytics rollup tables (daily active counts, cohorts) for a range."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, help="first day (default: 90 days ago)")
        parser.add_argument("--until", type=_date, help="last day (default: today)")

    def handle(self, *args, since=None, until=None, **options):
        until = until or timezone.localdate()
        since = since or until - timedelta(days=90)
        if since > until:
            raise CommandError("--since must not be after --until")
        counts = services.rollups_rebuild(since=since, until=until)
        self.stdout.write(
            f"Rebuilt {since}..{until}: {counts['daily_active']} daily rows, "
            f"{counts['cohort_retention']} cohort cells"
        )
