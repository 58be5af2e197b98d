from typing import Any

from django.core.management.base import BaseCommand

from moderation.services import sanction_expire_sweep


class Command(BaseCommand):
    help = "End sanctions whose time is up (what the five-minute task does)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sanction_expire_sweep()} sanctions ended.")
