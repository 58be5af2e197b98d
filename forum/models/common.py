"""What questions, answers and FAQ entries share (and other apps reuse): categories, tags,
comments, following."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.db import QuickLoad
from config.translation import (
    TranslatedCharField,
    TranslatedModel,
    TranslatedTextField,
    russian_char,
    russian_text,
)
from config.urlbuild import url_for
from moderation.content import ModeratedContent, ModerationState


class Category(QuickLoad, TranslatedModel, models.Model):
    """A product area. Orders the question list and the FAQ (other apps file under it too)."""

    name = TranslatedCharField(_("name"), max_length=80)
    name_ru = russian_char(_("name in Russian"), 80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = TranslatedTextField(_("description"), blank=True)
    description_ru = russian_text(_("description in Russian"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    ambassadors_only = models.BooleanField(
        _("ambassadors only"),
        default=False,
        help_text=_("Only ambassadors (and staff) can see and post in this category."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for("forum:category", slug=self.slug)


class Tag(QuickLoad, models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    question_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for("forum:tag", slug=self.slug)


class Follow(models.Model):
    """A member follows a question (or any model) and is notified of its news."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "target_type", "target_id"], name="follow_one_per_member"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.target_type_id}/{self.target_id}"


class Comment(ModeratedContent):
    """A short comment on a question, an answer (or any model)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    body = models.TextField(_("comment"), max_length=2000)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"], name="comment_target_idx"
            ),
            # A member's comments awaiting approval, as ``answer_held_by_author``.
            models.Index(
                fields=["author"],
                condition=models.Q(moderation_state=ModerationState.HELD, deleted_at=None),
                name="comment_held_by_author",
            ),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]
