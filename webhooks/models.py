"""Webhook endpoints, the deliveries owed to them (an outbox, like members.OutboundEmail) and
the log of every attempt (docs/webhooks.md)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Event(models.TextChoices):
    QUESTION_CREATED = "question.created", _("A question was posted")
    ANSWER_CREATED = "answer.created", _("An answer was posted")
    ANSWER_ACCEPTED = "answer.accepted", _("An answer was accepted")
    IDEA_CREATED = "idea.created", _("An idea was posted")
    IDEA_STATUS_CHANGED = "idea.status_changed", _("An idea's status changed")
    MEMBER_JOINED = "member.joined", _("A member joined")
    REFERRAL_QUALIFIED = "referral.qualified", _("A referral qualified")
    FLAG_CREATED = "flag.created", _("Something was flagged")
    QUEUE_ITEM_OVERDUE = "queue_item.overdue", _("A moderation item waited past its target")
    QUESTION_UNANSWERED = "question.unanswered", _("A question waited long without an answer")
    PING = "ping", _("Test event")


class Endpoint(models.Model):
    class Format(models.TextChoices):
        JSON = "json", _("JSON (signed)")
        SLACK = "slack", _("Slack incoming webhook")
        MATTERMOST = "mattermost", _("Mattermost incoming webhook")
        TELEGRAM = "telegram", _("Telegram bot")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("For Telegram: https://api.telegram.org/bot<token>/sendMessage"),
    )
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.JSON
    )
    chat_id = models.CharField(
        _("Telegram chat"),
        max_length=100,
        blank=True,
        help_text=_("The chat id or @channel the bot posts to (Telegram only)."),
    )
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, default=new_secret)
    # After a rotation the old secret still signs (beside the new one) until this moment, so
    # that receivers can switch without losing events.
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    allow_private = models.BooleanField(
        _("allow private addresses"),
        default=False,
        help_text=_(
            "Send to this server itself or to private networks. Only for receivers you run "
            "inside your own network."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event owed to one endpoint: recorded in the transaction that caused it, sent by a
    worker, retried with backoff (the same shape as the e-mail outbox)."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    # Sent as X-Veche-Delivery: one id for every attempt, for the receiver to deduplicate.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.TextField()  # exactly the bytes signed and sent (UTF-8)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["retry_at", "id"],
                name="delivery_due_idx",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failed_at:
            return "failed"
        return "pending"


class Attempt(models.Model):
    """One try of a delivery, for the staff's log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"


class EmbedOrigin(models.Model):
    """A site allowed to embed the help-centre widget (``frame-ancestors``): a scheme, a host
    and maybe a port, no path (``https://help.example.com``)."""

    origin = models.CharField(_("origin"), max_length=200, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["origin"]
        verbose_name = _("widget origin")
        verbose_name_plural = _("widget origins")

    def __str__(self) -> str:
        return self.origin


class Announcement(models.Model):
    """An event about an object that must be announced once only, found by a sweep (a
    question still unanswered): the sweep's memory."""

    event = models.CharField(max_length=40, choices=Event.choices)
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "object_id"], name="announcement_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.object_id}"
