from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute every member's trust level from activity (what the nightly task does)."

    def handle(self, *args, **options):
        from moderation.services import trust_level_recompute

        changed = trust_level_recompute()
        self.stdout.write(f"{changed} trust levels changed.")
