from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.translation import (
    TranslatedCharField,
    TranslatedModel,
    TranslatedTextField,
    russian_char,
    russian_text,
)

# The program's two queues in the moderation inbox (registered in ambassadors.receivers).
SUSPICIOUS_QUEUE = "suspicious_referrals"
APPLICATIONS_QUEUE = "ambassador_applications"


class ReferralCode(models.Model):
    """A member's personal referral code (``/r/<code>/``). Regenerating replaces it, so an
    old link stops working."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="referral_code",
    )
    code = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code


class ReferrerStats(models.Model):
    """Denormalized counters of one referrer (kept with F() by the services; recomputed by
    ``referrer_stats_synchronize``) and the state of the monthly ambassador review."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="referrer_stats",
    )
    clicks = models.PositiveIntegerField(default=0)
    signups = models.PositiveIntegerField(default=0)
    qualified = models.PositiveIntegerField(default=0, db_index=True)
    # Highest tier the member was told about (0 none, 1 advocate, 2 ambassador-eligible), so a
    # tier is announced once even if a claw-back makes the count dip and rise again.
    tier_notified = models.PositiveSmallIntegerField(default=0)
    ambassador_since = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the ambassador was warned of being below the maintenance threshold."),
    )

    class Meta:
        verbose_name = _("referrer statistics")
        verbose_name_plural = _("referrer statistics")
        indexes = [models.Index(fields=["-qualified", "member"], name="referrerstats_board_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.qualified}"


class ReferralClick(models.Model):
    """One visit of a referral link per visitor per day. ``visitor`` is a keyed hash of the
    IP address and user agent: no raw address is stored."""

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_clicks"
    )
    visitor = models.CharField(max_length=64)
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referrer", "visitor", "day"], name="referralclick_one_per_visitor_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referrer_id}@{self.day}"


class Invitation(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")

    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    note = models.TextField(blank=True, max_length=500)
    token = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["inviter", "-created_at"], name="invitation_inviter_idx")]

    def __str__(self) -> str:
        return f"{self.inviter_id} → {self.email}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.SENT and self.expires_at <= timezone.now()

    @property
    def state_label(self) -> str:
        return str(_("Expired")) if self.is_expired else self.get_status_display()


class Referral(models.Model):
    """A sign-up credited to a referrer. Only ``qualified`` referrals count toward tiers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUALIFIED = "qualified", _("Qualified")
        SUSPICIOUS = "suspicious", _("Under review")
        REJECTED = "rejected", _("Rejected")
        CLAWED_BACK = "clawed_back", _("Clawed back")

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals"
    )
    referred = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referred_by"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=200, blank=True)
    signup_ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Set by referral_on_contribution: the first published contribution of the referred member.
    first_contribution_at = models.DateTimeField(null=True, blank=True)
    qualified_at = models.DateTimeField(null=True, blank=True)
    # Set when staff approved a suspicious referral: the automatic checks then trust it.
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["referrer", "status"], name="referral_referrer_status_idx"),
            models.Index(fields=["status", "created_at"], name="referral_status_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(referrer=models.F("referred")), name="referral_not_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referrer_id} → {self.referred_id} ({self.status})"


class AmbassadorApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_applications"
    )
    motivation = models.TextField(max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="ambassadorapplication_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ({self.status})"


class Perk(TranslatedModel, models.Model):
    """A perk of the program (early access, a discount code, a meeting with the product
    team), listed on the program page and edited by staff in the admin. Granted to members by
    tier (automatically when they reach it) or by hand; a perk with codes hands one code of
    its pool to each member it is granted to."""

    class Tier(models.TextChoices):
        NONE = "", _("By hand only")
        ADVOCATE = "advocate", _("Advocates and ambassadors")
        AMBASSADOR = "ambassador", _("Ambassadors")

    title = TranslatedCharField(_("title"), max_length=120)
    title_ru = russian_char(_("title in Russian"), 120)
    description = TranslatedTextField(_("description"), blank=True)
    description_ru = russian_text(_("description in Russian"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    tier = models.CharField(
        _("granted to"),
        max_length=12,
        choices=Tier.choices,
        blank=True,
        default="",
        help_text=_("Members of this tier get the perk when they reach it."),
    )
    uses_codes = models.BooleanField(
        _("hands out codes"),
        default=False,
        help_text=_("Each grant takes one unused code from the perk's pool."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("perk")
        verbose_name_plural = _("perks")

    def __str__(self) -> str:
        return self.title


class PerkCode(models.Model):
    """One code of a perk's pool (a discount code, a meeting link). Handed out once: the
    grant that took it holds it for good, even when the grant is revoked."""

    perk = models.ForeignKey(Perk, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    handed_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["perk", "code"], name="perkcode_unique_per_perk")
        ]
        indexes = [
            models.Index(
                fields=["perk", "id"],
                condition=models.Q(handed_out_at__isnull=True),
                name="perkcode_unused_idx",
            )
        ]

    def __str__(self) -> str:
        return self.code


class PerkGrant(models.Model):
    """Who got which perk, when, from whom (None: by tier), with which code; revoked grants
    stay as the record. A member holds a perk at most once at a time."""

    perk = models.ForeignKey(Perk, on_delete=models.PROTECT, related_name="grants")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perk_grants"
    )
    code = models.OneToOneField(
        PerkCode, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["perk", "member"],
                condition=models.Q(revoked_at__isnull=True),
                name="perkgrant_one_active_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.perk_id} → {self.member_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
