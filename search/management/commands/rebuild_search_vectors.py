from django.core.management.base import BaseCommand

from forum import search
from forum.models import Answer, FaqEntry, Question


class Command(BaseCommand):
    help = "Rebuild the stored full-text search vectors (PostgreSQL)."

    def handle(self, *args: object, **options: object) -> None:
        search.vector_update(Question.objects.all())
        search.vector_update(Answer.objects.all(), title=None)
        search.vector_update(FaqEntry.objects.all())
        self.stdout.write("search vectors rebuilt")
