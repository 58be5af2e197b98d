"""Watching tags and categories, and what a member has read of a question."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from members.watching import WatchLevel

from .common import Category, Tag
from .questions import Question


class TopicWatch(models.Model):
    """A member's level (``members.watching.WatchLevel``) for one tag or one category. The
    normal level is no row."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_watches"
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    level = models.CharField(max_length=10, choices=WatchLevel.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(tag__isnull=False) & Q(category__isnull=True))
                | (Q(tag__isnull=True) & Q(category__isnull=False)),
                name="topicwatch_tag_or_category",
            ),
            models.UniqueConstraint(
                fields=["member", "tag"],
                condition=Q(tag__isnull=False),
                name="topicwatch_one_per_tag",
            ),
            models.UniqueConstraint(
                fields=["member", "category"],
                condition=Q(category__isnull=False),
                name="topicwatch_one_per_category",
            ),
        ]
        indexes = [
            models.Index(fields=["tag", "level"], name="topicwatch_tag_idx"),
            models.Index(fields=["category", "level"], name="topicwatch_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.level} {self.tag_id or ''}/{self.category_id or ''}"


class QuestionRead(models.Model):
    """When a member last opened a question and how many answers it had then: the lists mark
    the answers that came since ("3 new")."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_reads"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reads")
    answer_count = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "question"], name="questionread_one")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.question_id}"
