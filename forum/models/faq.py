"""FAQ entries and the "Did this answer your question?" feedback (deflection)."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.urlbuild import url_for


class FaqEntry(models.Model):
    category = models.ForeignKey(
        "forum.Category",
        on_delete=models.PROTECT,
        related_name="faq_entries",
        verbose_name=_("category"),
    )
    title = models.CharField(_("question"), max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    body = models.TextField(_("answer"), max_length=20000)
    body_html = models.TextField(blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    source_question = models.ForeignKey(
        "forum.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entries",
        verbose_name=_("source question"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["category__position", "category__name", "position", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for("forum:faq-detail", pk=self.pk, slug=self.slug or "faq")

    def is_outdated(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.review_by is not None and self.review_by < today


class DeflectionFeedback(models.Model):
    """An answer to "Did this answer your question?" on a solved question or an FAQ entry.

    ``would_have_contacted_support`` is the deflection signal: helpful and otherwise a ticket.
    One per member (or per anonymous session) and target.
    """

    question = models.ForeignKey(
        "forum.Question", on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    faq_entry = models.ForeignKey(
        FaqEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    helpful = models.BooleanField()
    would_have_contacted_support = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, faq_entry__isnull=True)
                    | models.Q(question__isnull=True, faq_entry__isnull=False)
                ),
                name="deflectionfeedback_one_target",
            ),
            models.UniqueConstraint(
                fields=["question", "member"],
                condition=models.Q(member__isnull=False, question__isnull=False),
                name="deflectionfeedback_question_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["faq_entry", "member"],
                condition=models.Q(member__isnull=False, faq_entry__isnull=False),
                name="deflectionfeedback_faq_one_per_member",
            ),
        ]


class AskVisit(models.Model):
    """A visit to the ask form on which similar questions or FAQ entries were suggested
    (deflection): whether the member opened a suggestion, and whether they then asked. A
    visit with suggestions and no question left; left after opening one, it was deflected.
    Named by a random token the form carries; a row is written only once suggestions show."""

    token = models.CharField(max_length=32, unique=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    shown_at = models.DateTimeField(default=timezone.now, db_index=True)
    times_shown = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(null=True, blank=True)
    times_opened = models.PositiveIntegerField(default=0)
    posted_at = models.DateTimeField(null=True, blank=True)
    question = models.ForeignKey(
        "forum.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit to the ask form")
        verbose_name_plural = _("visits to the ask form")

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.shown_at:%Y-%m-%d %H:%M}"
