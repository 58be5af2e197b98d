from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "End sanctions whose time is up (what the five-minute task does)."

    def handle(self, *args, **options):
        from moderation.services import sanction_expire_sweep

        self.stdout.write(f"{sanction_expire_sweep()} sanctions ended.")
