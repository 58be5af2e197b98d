from typing import Any

from django.core.management.base import BaseCommand

from ideas.models import Idea
from ideas.services import idea_synchronize


class Command(BaseCommand):
    help = "Recompute the vote and comment counters of every idea from the rows."

    def handle(self, *args: Any, **options: Any) -> None:
        fixed = 0
        for idea in Idea.objects.only("pk", "vote_count", "comment_count").iterator():
            before = (idea.vote_count, idea.comment_count)
            idea_synchronize(idea)
            fixed += before != (idea.vote_count, idea.comment_count)
        self.stdout.write(f"{fixed} ideas corrected.")
