from typing import Any

from django.core.management.base import BaseCommand

from moderation.services import trust_level_recompute


class Command(BaseCommand):
    help = "Recompute every member's trust level from activity (what the nightly task does)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = trust_level_recompute()
        self.stdout.write(f"{changed} trust levels changed.")
