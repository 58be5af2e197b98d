from django.core.management.base import BaseCommand

from forum.models import Question
from forum.services.questions import question_synchronize
from forum.services.tags import tags_synchronize


class Command(BaseCommand):
    help = "Recompute question, answer and tag counters from the source rows."

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        for question in Question.objects.order_by("id").iterator():
            question_synchronize(question=question)
            count += 1
        tags_synchronize()
        self.stdout.write(f"{count} questions synchronized")
