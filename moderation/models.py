from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.translation import (
    TranslatedCharField,
    TranslatedModel,
    TranslatedTextField,
    russian_char,
    russian_text,
)


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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    # Set once by the overdue sweep when the item waited past its queue's target age, so that
    # "overdue" is announced (moderation.hooks.queue_item_overdue) once per item.
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-priority", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["queue", "-priority", "created_at"],
                name="queueitem_open_idx",
                condition=models.Q(resolved_at__isnull=True),
            ),
            # The inbox's "all queues" page: open items in display order, so the first page
            # is read from the index instead of sorting every open item.
            models.Index(
                fields=["-priority", "created_at", "id"],
                name="queueitem_open_order_idx",
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
        permissions = [("moderate", _("Can use the moderation inbox and apply sanctions"))]
        verbose_name = _("queue item")
        verbose_name_plural = _("queue items")

    def __str__(self) -> str:
        return f"{self.queue}: {self.target_type_id}/{self.target_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


# --- rules and other versioned pages -------------------------------------------------------


class Document(TranslatedModel, models.Model):
    """A page managed in versions: the community rules, the moderation policy, the ambassador
    program terms. The newest version is the current one."""

    RULES = "rules"

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = TranslatedCharField(_("title"), max_length=120)
    title_ru = russian_char(_("title in Russian"), 120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.slug == self.RULES:
            return reverse("moderation:rules")
        return reverse("moderation:page", kwargs={"slug": self.slug})

    def _url(self, name: str, **kwargs) -> str:
        if self.slug == self.RULES:
            return reverse(f"moderation:rules-{name}", kwargs=kwargs)
        return reverse(f"moderation:page-{name}", kwargs={"slug": self.slug, **kwargs})

    def versions_url(self) -> str:
        return self._url("versions")

    def version_url(self, number: int) -> str:
        return self._url("version", number=number)

    def diff_url(self) -> str:
        return self._url("diff")

    def publish_url(self) -> str:
        return self._url("publish")


class DocumentVersion(TranslatedModel, models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_summary = TranslatedTextField(_("change summary"), blank=True)
    change_summary_ru = russian_text(_("change summary in Russian"))
    body = TranslatedTextField(_("introduction"), blank=True)
    body_ru = russian_text(_("introduction in Russian"))
    # Rendered from ``body`` and ``body_ru`` when the version is published.
    body_html = TranslatedTextField(blank=True)
    body_html_ru = models.TextField(blank=True)
    requires_reacceptance = models.BooleanField(
        _("members must accept it again"),
        default=False,
        help_text=_("Members cannot post until they accept this version."),
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="documentversion_one_number_per_document"
            )
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Rule(TranslatedModel, models.Model):
    """A numbered rule of one version. Flags, rejections and sanctions cite a rule."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="rules")
    number = models.PositiveSmallIntegerField(_("number"))
    title = TranslatedCharField(_("title"), max_length=160)
    title_ru = russian_char(_("title in Russian"), 160)
    explanation = TranslatedTextField(_("explanation"), blank=True)
    explanation_ru = russian_text(_("explanation in Russian"))
    # Rendered from ``explanation`` and ``explanation_ru`` when the version is published.
    explanation_html = TranslatedTextField(blank=True)
    explanation_html_ru = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="rule_one_number_per_version"
            )
        ]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def citation(self) -> str:
        return f"{self.number}. {self.title}"


class RulesAcceptance(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rules_acceptances"
    )
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "version"], name="rulesacceptance_one_per_member_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} accepted {self.version_id}"


# --- spam checks ---------------------------------------------------------------------------


class BlockedWord(models.Model):
    """A word or phrase that holds any post containing it for review (case-insensitive,
    whole words)."""

    word = models.CharField(_("word or phrase"), max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["word"]
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")

    def __str__(self) -> str:
        return self.word


class PostFingerprint(models.Model):
    """One row per screened post: the hash of its text and when. Backs the repeated-text and
    posting-speed checks across all web processes; old rows are pruned by the sweep."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    kind = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["member", "created_at"], name="fingerprint_member_idx"),
            models.Index(fields=["member", "digest"], name="fingerprint_digest_idx"),
        ]


# --- flags ---------------------------------------------------------------------------------


class Flag(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_made"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="flags_against",
        help_text=_("The author of the flagged item."),
    )
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=1000, blank=True)
    weight = models.FloatField(default=1.0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default="", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["flagger", "target_type", "target_id"], name="flag_one_per_member_per_item"
            )
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="flag_target_idx"),
            models.Index(fields=["flagger", "outcome"], name="flag_flagger_outcome_idx"),
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self) -> str:
        return f"flag {self.target_type_id}/{self.target_id} by {self.flagger_id}"


# --- sanctions and appeals -----------------------------------------------------------------


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARN = "warn", _("Warning")
        SILENCE = "silence", _("Silenced")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rule = models.ForeignKey(
        Rule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until lifted."))
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it expired or was lifted.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "-created_at"], name="sanction_member_idx")]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.member_id}"

    @property
    def is_active(self) -> bool:
        if self.ended_at is not None or self.kind == self.Kind.WARN:
            return False
        return self.ends_at is None or self.ends_at > timezone.now()


class Appeal(models.Model):
    """A member's appeal against one moderation decision (an audit log entry). One per
    decision."""

    class Outcome(models.TextChoices):
        OPEN = "", _("Open")
        GRANTED = "granted", _("Granted")
        DENIED = "denied", _("Denied")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    decision = models.OneToOneField(
        "AuditLogEntry", on_delete=models.PROTECT, related_name="appeal"
    )
    text = models.TextField(_("why the decision should change"), max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default="", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal {self.pk} by {self.member_id}"


# --- the audit log -------------------------------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The audit log is append-only."))

    def delete(self):
        raise ValidationError(_("The audit log is append-only."))


class AuditLogEntry(models.Model):
    """Who did what to which item, citing which rule, and why. Rows are only ever added."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The member affected."),
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="audit_member_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The audit log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log is append-only."))
