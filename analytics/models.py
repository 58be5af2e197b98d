"""Rollup tables of the analytics app. Everything else is read from the other apps' tables.

The dashboard reads these instead of scanning ``ActivityDay`` (millions of rows) per request;
``analytics.services.rollups_update`` fills them idempotently, resuming from a watermark.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DailyActiveCount(models.Model):
    """Members active on ``day`` (DAU), in the 7 days (WAU) and 30 days (MAU) ending on it,
    sign-ups that day and all members who had joined by the end of it."""

    day = models.DateField(unique=True)
    dau = models.PositiveIntegerField(default=0)
    wau = models.PositiveIntegerField(default=0)
    mau = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0)
    # Of them, sign-ups credited to a referrer: the share by referral reads both from the
    # same rows, so it can never pass 100%.
    referred_signups = models.PositiveIntegerField(default=0)
    members_total = models.PositiveIntegerField(default=0)
    # Of the 30 days ending on ``day``: members who asked or proposed (creators) and who only
    # answered, commented or voted (contributors); the rest of MAU are readers.
    creators = models.PositiveIntegerField(default=0)
    contributors = models.PositiveIntegerField(default=0)
    # Content written that day (what is published and not deleted when the day is rolled up):
    # questions asked, of them answered within 24 hours (final two days later, and the job
    # recomputes from the day before its watermark), answers by staff and by the community,
    # votes on ideas.
    questions = models.PositiveIntegerField(default=0)
    answered_24h = models.PositiveIntegerField(default=0)
    staff_answers = models.PositiveIntegerField(default=0)
    community_answers = models.PositiveIntegerField(default=0)
    idea_votes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        verbose_name = _("daily active count")
        verbose_name_plural = _("daily active counts")

    def __str__(self) -> str:
        return f"{self.day}: {self.dau}/{self.wau}/{self.mau}"


class CohortRetention(models.Model):
    """Of the members who signed up in the week starting ``cohort_week`` (a Monday), how many
    were active in week ``week`` after signing up (week 0 is the sign-up week)."""

    class Segment(models.TextChoices):
        ALL = "all", _("All members")
        REFERRED = "referred", _("Referred")
        ORGANIC = "organic", _("Organic")

    cohort_week = models.DateField()
    segment = models.CharField(max_length=10, choices=Segment.choices, default=Segment.ALL)
    week = models.PositiveSmallIntegerField()
    cohort_size = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["cohort_week", "segment", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort_week", "segment", "week"], name="cohortretention_one_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort_week} {self.segment} +{self.week}: {self.active}/{self.cohort_size}"


class RollupWatermark(models.Model):
    """The last day through which a metric's rollup is complete; the nightly job resumes from
    there (the watermark day itself is recomputed, since it may have been partial)."""

    metric = models.CharField(max_length=40, unique=True)
    computed_through = models.DateField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.metric} → {self.computed_through}"


class ReengagementLetter(models.Model):
    """One personal re-engagement e-mail to a member who went quiet: the monthly job's (no
    ``sender``; at most one per member and period, a calendar month named by its first day),
    or a letter a community manager wrote from the list of members at risk (``sender``, the
    ``template`` they wrote it from, no period)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(null=True, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    template = models.ForeignKey(
        "members.LetterTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField()
    # Activity after ``sent_on`` up to and including ``back_by`` counts as "came back".
    back_by = models.DateField()
    last_seen_before = models.DateField(null=True, blank=True)
    email = models.ForeignKey(
        "members.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "period"], name="reengagementletter_one_per_member_period"
            )
        ]
        indexes = [
            models.Index(fields=["sent_on"], name="reengagementletter_sent_idx"),
            models.Index(fields=["member", "-sent_on"], name="reengagementletter_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.period}"


class CrossLinkPeriod(models.Model):
    """Connections between members in one week (starting on its Monday) or calendar month
    (starting on its first day): the distinct pairs of members who interacted, the members
    active in it, and of them those with at least ``min_links`` distinct partners
    (``analytics/crosslinks.py``). The current period's row holds the days so far."""

    class Kind(models.TextChoices):
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")

    kind = models.CharField(max_length=5, choices=Kind.choices)
    start = models.DateField()
    pairs = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)  # members with at least one link
    active = models.PositiveIntegerField(default=0)
    active_linked_n = models.PositiveIntegerField(default=0)
    min_links = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ["kind", "start"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="crosslinkperiod_one_per_period")
        ]
        verbose_name = _("cross-links period")
        verbose_name_plural = _("cross-links periods")

    def __str__(self) -> str:
        return f"{self.kind} {self.start}: {self.pairs} pairs"
