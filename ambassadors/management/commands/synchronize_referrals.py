from typing import Any

from django.core.management.base import BaseCommand

from ambassadors.services import referrer_stats_synchronize


class Command(BaseCommand):
    help = "Recompute the referrers' click, sign-up and qualified counters from the source rows."

    def handle(self, *args: Any, **options: Any) -> None:
        count = referrer_stats_synchronize()
        self.stdout.write(f"{count} referrers synchronized")
