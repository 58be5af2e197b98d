"""Private messages: conversations between members (or from staff to members), who takes part
and what they have read, the messages (moderatable like every post), blocks between members
and each member's choice of who may write to them. See docs/messages.md."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.content import ModeratedContent


class Conversation(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversations_started",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="conversation_subject_not_empty"),
            models.CheckConstraint(
                condition=Q(last_message_at__gte=F("created_at")),
                name="conversation_last_message_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("conversations:conversation", args=[self.pk])


class Participant(models.Model):
    """A member in a conversation: what they have read, whether they left it, and when they
    were last told of a new message (one notification until they read it)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_seats"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Archived: out of the inbox; a new message brings it back."),
    )

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "member"], name="participant_once_per_conversation"
            )
        ]
        indexes = [models.Index(fields=["member", "left_at"], name="participant_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.conversation_id}"


class Message(ModeratedContent):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="private_messages"
    )
    body = models.TextField(_("message"), max_length=20000)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("private message")
        verbose_name_plural = _("private messages")
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="message_body_not_empty")]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_conversation_idx"),
            models.Index(fields=["author", "created_at"], name="message_author_idx"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('conversations:conversation', args=[self.conversation_id])}#m-{self.pk}"


class Block(models.Model):
    """``blocker`` does not want to hear from ``blocked``: no new conversation, no reply where
    the blocker takes part."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_blocked_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class MessageSettings(models.Model):
    """Who may start a conversation with the member (staff always may)."""

    class AcceptFrom(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        NOBODY = "nobody", _("Nobody (staff messages still reach you)")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_settings"
    )
    accept_from = models.CharField(
        _("accept messages from"),
        max_length=10,
        choices=AcceptFrom.choices,
        default=AcceptFrom.EVERYONE,
    )

    class Meta:
        verbose_name = _("message settings")
        verbose_name_plural = _("message settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_from__in=["everyone", "nobody"]),
                name="message_settings_accept_from_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.accept_from}"
