from django.core.management.base import BaseCommand

from search.sources import SOURCES


class Command(BaseCommand):
    help = "Rebuild the stored full-text search vectors of every search source (PostgreSQL)."

    def handle(self, *args: object, **options: object) -> None:
        for source in SOURCES.values():
            if source.rebuild is not None:
                source.rebuild()
        self.stdout.write("search vectors rebuilt")
