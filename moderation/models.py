from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueueItem(models.Model):
    """One item waiting in a queue of the moderation inbox (held post, flagged item, appeal,
    ambassador application, suspicious referral…). The target is any model."""

    class Resolution(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DISMISSED = "dismissed", _("Dismissed")

    queue = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The member the item is about (the author, the applicant…)."),
    )
    reason = models.TextField(blank=True)
    priority = models.SmallIntegerField(default=0, help_text=_("Higher comes first."))
    created_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["-priority", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["queue", "-priority", "created_at"],
                name="queueitem_open_idx",
                condition=models.Q(resolved_at__isnull=True),
            ),
            models.Index(fields=["target_type", "target_id"], name="queueitem_target_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "target_type", "target_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="queueitem_one_open_per_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.queue}: {self.target_type_id}/{self.target_id}"
