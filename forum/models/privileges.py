"""What members do with the privileges their trust level earns (docs/privileges.md): votes to
close or reopen a question, and edits suggested to others' posts."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .questions import CloseReason, Question


class CloseVote(models.Model):
    """A member's vote to close (or reopen) a question. Votes count while ``is_open``; the
    vote that reaches the threshold closes (reopens) the question and settles them all."""

    class Kind(models.TextChoices):
        CLOSE = "close", _("Close")
        REOPEN = "reopen", _("Reopen")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="close_votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="close_votes"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CLOSE)
    reason = models.CharField(max_length=12, choices=CloseReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "member", "kind"],
                condition=models.Q(is_open=True),
                name="closevote_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="reopen") | ~models.Q(reason=""),
                name="closevote_close_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.question_id}"


class SuggestedEdit(models.Model):
    """An edit to someone else's question or answer by a member below the edit level: it
    waits until a reviewer approves (applied as a revision credited to the suggester) or
    rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggested_edits"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000)
    tags = models.JSONField(null=True, blank=True)
    reason = models.CharField(_("reason for the edit"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="suggestededit_target_idx"),
            models.Index(fields=["status", "created_at"], name="suggestededit_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="suggestededit_decided_has_a_date",
            ),
        ]
        verbose_name = _("suggested edit")
        verbose_name_plural = _("suggested edits")

    def __str__(self) -> str:
        return self.title or self.body[:60]
