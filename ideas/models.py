"""The idea board: ideas, one vote per member, the status history staff write.

The tables were created by the forum app (migration 0004) when the board lived there; they
keep their names (``db_table``), so moving the models changed no row (ideas 0001, 0002)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from config.urlbuild import url_for
from members.watching import WatchLevel
from moderation.content import ModeratedContent


class IdeaStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    DECLINED = "declined", _("Declined")


# Trending counts the votes of this many last days.
TRENDING_DAYS = 14

# Votes are frozen once a decision is final.
CLOSED_STATUSES = (IdeaStatus.SHIPPED, IdeaStatus.DECLINED)
ROADMAP_STATUSES = (IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS, IdeaStatus.SHIPPED)


class Idea(ModeratedContent):
    Status = IdeaStatus

    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(max_length=160, allow_unicode=True, blank=True)
    description = models.TextField(_("description"), max_length=10000)
    description_html = models.TextField(blank=True)
    category = models.ForeignKey(
        "forum.Category",
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("category"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ideas"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.NEW
    )
    # Denormalized counters, changed with F() by ideas.services; idea_synchronize
    # recomputes them from the rows.
    vote_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Trending: votes of the last TRENDING_DAYS days. Moves with each vote; votes that age
    # out of the window are dropped by idea_trending_refresh (hourly task).
    recent_vote_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("merged into"),
    )
    # Why it was merged (the staff member's note): shown on the idea it was merged into.
    merge_note = models.TextField(_("merge note"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Filled on PostgreSQL only (ideas.services); GIN-indexed by forum migration 0005 (a
    # PostgreSQL-only index kept out of the model state, like the Q&A ones).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        db_table = "forum_idea"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-vote_count", "-id"], name="idea_votes_idx"),
            models.Index(
                fields=["-recent_vote_count", "-vote_count", "-id"], name="idea_trending_idx"
            ),
            models.Index(fields=["-created_at", "-id"], name="idea_created_idx"),
            models.Index(fields=["status", "-status_changed_at"], name="idea_status_idx"),
            models.Index(fields=["category", "-vote_count"], name="idea_category_idx"),
        ]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_for(
            "ideas:idea-detail", pk=self.pk, slug=self.slug or slugify(self.title) or "idea"
        )

    @property
    def voting_open(self) -> bool:
        return self.status not in CLOSED_STATUSES and self.merged_into_id is None


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "forum_ideavote"
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="ideavote_one_per_member")
        ]
        indexes = [
            # Trending: votes of the last days, per idea.
            models.Index(fields=["created_at", "idea"], name="ideavote_recent_idx"),
            models.Index(fields=["member", "-created_at"], name="ideavote_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → idea {self.idea_id}"


class IdeaStatusChange(models.Model):
    """One step of an idea's history, with the staff note that explains it."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=IdeaStatus.choices)
    to_status = models.CharField(max_length=16, choices=IdeaStatus.choices)
    note = models.TextField(_("note"), max_length=4000)
    note_html = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "forum_ideastatuschange"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["idea", "-at"], name="ideastatus_idea_idx")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"


class IdeaQuestionLink(models.Model):
    """A question that asks for what an idea proposes: its asker hears when the idea ships.
    ``converted`` marks the question the idea was made from."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="question_links")
    question = models.ForeignKey(
        "forum.Question", on_delete=models.CASCADE, related_name="idea_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    converted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "forum_ideaquestionlink"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "question"], name="ideaquestionlink_unique"),
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(converted=True),
                name="ideaquestionlink_one_conversion",
            ),
        ]

    def __str__(self) -> str:
        return f"idea {self.idea_id} ← question {self.question_id}"


class StatusWatch(models.Model):
    """A member's level (``members.watching.WatchLevel``) for one idea status: watching tells
    them of every idea published in it or moved into it. The normal level is no row."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="status_watches"
    )
    status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    level = models.CharField(max_length=10, choices=WatchLevel.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "status"], name="statuswatch_one"),
        ]
        indexes = [models.Index(fields=["status", "level"], name="statuswatch_status_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.level} {self.status}"
