"""An uploaded image or attachment, owned by the member who sent it and, once a post that
references it is saved, by that post (content type + id): it is readable by whoever may read
the post (uploads.registry)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        ATTACHMENT = "attachment", _("attachment")

    # The random part of the address: /uploads/<key>/<name>.
    key = models.CharField(max_length=32, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The name shown and offered on download, cleaned; its extension is the checked type's.
    name = models.CharField(max_length=120)
    # The type the file is served with, decided from its content, never from the browser.
    content_type = models.CharField(max_length=80)
    # Bytes stored (the file and its thumbnail): what the member's quota counts.
    size = models.PositiveBigIntegerField()
    path = models.CharField(max_length=200)
    thumbnail_path = models.CharField(max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    post_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [
            models.Index(fields=["post_type", "post_id"], name="upload_post_idx"),
            models.Index(fields=["attached_at", "created_at"], name="upload_orphan_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post_type__isnull=True, post_id__isnull=True)
                | models.Q(post_type__isnull=False, post_id__isnull=False),
                name="upload_post_whole",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.name}"

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class Draft(models.Model):
    """What a member typed into a post form and has not posted yet (a question, an answer to
    one question, an idea): one per member and form, saved as they type and when a post is
    refused, discarded once the post is made. Only its member ever reads it."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    # Which form: a registered draft kind, with the id of its target for answers
    # ("question", "idea", "answer:42"; uploads.registry.draft_key).
    key = models.CharField(max_length=60)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="draft_one_per_form"),
        ]
        indexes = [models.Index(fields=["updated_at"], name="draft_updated_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.key}"
