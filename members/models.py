import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from config.cache import SITE, remember, touch
from config.db import QuickLoad
from config.translation import (
    TranslatedCharField,
    TranslatedModel,
    TranslatedTextField,
    pick,
    russian_char,
    russian_text,
)
from config.urlbuild import url_for

# What shared pages show of a member next to their posts (``member_link``), or decides what
# of them shows at all: a change of these touches ``site`` (config.cache); any other change
# (reputation, trust level) only the member pages (``members``).
SHOWN_FIELDS = frozenset(
    {
        "username",
        "display_name",
        "badge",
        "avatar",
        "is_staff",
        "is_active",
        "banned_at",
        "suspended_until",
        "deleted_at",
    }
)


QUIET_FIELDS = frozenset({"last_seen", "last_login", "unread_notifications"})

# A signed-in member's row, read at every request of theirs (members.selectors.member_row),
# is kept under ``member:<id>``, which every write to the row touches, and ``member-rows``,
# which a write to more than MEMBER_TOUCHES members at once touches instead.
MEMBER_ROWS_SCOPE, MEMBER_TOUCHES = "member-rows", 20


def member_row_entry(member_id: int) -> tuple[str, tuple[str, ...]]:
    return f"veche:member-row:{member_id}", (f"member:{member_id}", MEMBER_ROWS_SCOPE)


def member_scopes(member, update_fields: frozenset | None) -> tuple[str, ...]:
    """What a change of members shows on: the member's own row (``member:<id>``, when the
    member is known), ``members`` (directory, profiles), and ``site`` when a field shown next
    to posts changed. A log-in or a notification read: their row only."""
    own: tuple[str, ...] = (f"member:{member.pk}",) if member is not None else ()
    if update_fields is not None and update_fields <= QUIET_FIELDS:
        return own
    scopes = (*own, "members")
    if update_fields is None or SHOWN_FIELDS & set(update_fields):
        scopes += (SITE,)
    return scopes


def _named_pks(query: Any) -> list[int] | None:
    """The primary keys a bulk write's conditions name (``pk=…`` or ``pk__in=[…]``, with any
    other conditions ANDed): the rows it may change are among them. ``None`` otherwise."""
    where, pk = query.where, query.model._meta.pk
    if where.connector != AND or where.negated:
        return None
    for child in where.children:
        if not isinstance(child, (Exact, In)) or getattr(child.lhs, "target", None) is not pk:
            continue
        values = [child.rhs] if isinstance(child, Exact) else child.rhs
        if isinstance(values, (list, tuple, set, frozenset)) and all(
            isinstance(value, int) for value in values
        ):
            return list(values)
    return None


class SummaryFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class MemberQuerySet(models.QuerySet):
    """Bulk writes to members touch the scopes a save would (``member_scopes``), the rows'
    own included: no signal reports an ``UPDATE``. The rows are those its conditions name
    (``filter(pk=…)``, as most writes), else read first (one query)."""

    def update(self, **kwargs):
        pks = _named_pks(self.query)
        if pks is None:
            pks = list(self.values_list("pk", flat=True)[: MEMBER_TOUCHES + 1])
        return self._changed(super().update(**kwargs), kwargs, pks)

    def bulk_update(self, objs, fields, batch_size=None):
        # Django's bulk_update writes through update(), which touches each batch's rows.
        return self._changed(super().bulk_update(objs, fields, batch_size=batch_size), fields)

    def _changed(self, rows: int, fields: Iterable[str], pks: Iterable[int] = ()) -> int:
        if rows:
            pks = list(pks)
            many = len(pks) > MEMBER_TOUCHES  # their rows reload once
            own = [MEMBER_ROWS_SCOPE] if many else [f"member:{pk}" for pk in pks]
            touch(*member_scopes(None, frozenset(fields)), *own)
        return rows


class MemberManager(UserManager.from_queryset(MemberQuerySet)):  # type: ignore[misc]
    pass


class Member(QuickLoad, AbstractUser):
    """A person in the community. Staff and moderators are members too.

    Denormalized fields (reputation, trust level, badge, sanctions, unread count) live here so
    that every page can show a member's name, badge and state without extra queries; each is
    written only by its owning app's services.
    """

    class TrustLevel(models.IntegerChoices):
        NEW = 0, _("New")
        BASIC = 1, _("Basic")
        REGULAR = 2, _("Regular")
        LEADER = 3, _("Leader")

    class Badge(models.TextChoices):
        NONE = "", _("None")
        ADVOCATE = "advocate", _("Advocate")
        AMBASSADOR = "ambassador", _("Ambassador")

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("about me"), blank=True, max_length=2000)
    website = models.URLField(_("website"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    # {notification kind: bool}; a kind that is absent uses the kind's default.
    email_preferences = models.JSONField(_("e-mail preferences"), default=dict, blank=True)
    digest_opt_in = models.BooleanField(_("weekly digest"), default=True)
    # The summary e-mail sent while the member stays away (members.services_summary).
    summary_frequency = models.CharField(
        _("summary e-mail"), max_length=8, choices=SummaryFrequency.choices, default="weekly"
    )
    last_seen = models.DateField(_("last active"), null=True, blank=True, db_index=True)
    welcome_sent_at = models.DateTimeField(null=True, blank=True)

    reputation = models.IntegerField(default=0, db_index=True)
    trust_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    badge = models.CharField(max_length=16, choices=Badge.choices, default="", blank=True)
    # The key of the uploaded avatar (uploads.services_avatars writes it; the files live in the
    # uploads store under ``avatars/<key>/``); empty: the generated letters (docs/uploads.md).
    avatar = models.CharField(_("avatar"), max_length=32, blank=True)
    unread_notifications = models.PositiveIntegerField(default=0)

    silenced_until = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    banned_at = models.DateTimeField(null=True, blank=True)
    # Set when the member deleted their account (or staff erased it): the row stays as an
    # anonymous placeholder, so votes, referrals and analytics rows keep counting
    # (members.services_privacy.member_erase).
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[MemberManager] = MemberManager()

    # Not a column: the tags a member at risk asked about most, set by
    # analytics.sources.at_risk_with_tags for the list and the letters.
    tags: list[str]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["username"]
        indexes = [
            models.Index(fields=["date_joined"], name="member_date_joined_idx"),
            models.Index(Lower("username"), name="member_username_lower_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.deleted_at is not None:
            return str(_("Deleted member"))
        return self.display_name or self.username

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def get_absolute_url(self) -> str:
        return url_for("members:profile", username=self.username)

    def get_session_auth_hash(self) -> str:
        """A row kept in the cache (members.selectors.member_row) holds no password hash, but
        the session's check of it made when the row was loaded; a password set since counts."""
        if "password" not in self.__dict__ and "_session_auth_hash" in self.__dict__:
            return self.__dict__["_session_auth_hash"]
        return super().get_session_auth_hash()

    @property
    def is_moderator(self) -> bool:
        """Staff, or a member of the Moderators group (cached per request object)."""
        if self.is_staff or self.is_superuser:
            return True
        cached = getattr(self, "_is_moderator", None)
        if cached is None:
            cached = self._is_moderator = remember(
                *moderator_entry(self.pk),
                lambda: self.groups.filter(name=MODERATORS_GROUP).exists(),
                600,
            )
        return cached

    @property
    def is_silenced(self) -> bool:
        return bool(self.silenced_until and self.silenced_until > timezone.now())

    @property
    def is_suspended(self) -> bool:
        return bool(self.suspended_until and self.suspended_until > timezone.now())

    @property
    def is_banned(self) -> bool:
        return self.banned_at is not None


MODERATORS_GROUP = "Moderators"


# Touched when any member's groups change or a group is renamed or deleted (members.receivers):
# every cached moderator flag is stale then (config.cache.remember).
MODERATORS_SCOPE = "moderators"


def moderator_entry(member_id: int) -> tuple[str, tuple[str, ...]]:
    """Cached answer to "is this member a moderator?", kept under the ``moderators`` scope."""
    return f"veche:is-moderator:{member_id}", (MODERATORS_SCOPE,)


class Expertise(models.Model):
    """An area a member knows well, named by a tag slug (forum tags are matched by slug)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="expertise")
    tag_slug = models.SlugField(max_length=50)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "tag_slug"], name="expertise_one_per_tag")
        ]
        indexes = [models.Index(fields=["tag_slug"], name="expertise_tag_idx")]
        ordering = ["tag_slug"]

    def __str__(self) -> str:
        return self.tag_slug


class ExpertRank(models.Model):
    """The best experts of a tag by reputation (``members.services.expert_ranks_refresh``,
    ``EXPERTS_RANKED`` per tag), so that "members who could answer" reads a few rows per tag
    instead of walking members by reputation. Refreshed when a member's expertise changes and
    every ``VECHE_EXPERT_RANKS_SECONDS`` by beat (reputation moves with every vote); as in
    Discourse's user directory, a table its job refreshes. Ranked members are still read
    through their row (active, not banned, reputation now)."""

    tag_slug = models.SlugField(max_length=50)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag_slug", "member"], name="expert_rank_one_per_tag")
        ]


class ActivityDay(models.Model):
    """One row per member per day on which the member did anything. Base of retention."""

    # No index of its own: the unique (member, day) index serves lookups by member.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="activity_days", db_index=False
    )
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="activityday_one_per_member_day")
        ]
        indexes = [models.Index(fields=["day", "member"], name="activityday_day_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.day}"


# The tagline until staff write their own: shown in each reader's language (context_processors).
DEFAULT_TAGLINE = gettext_noop("Ask, answer, share ideas — together with the team.")


class CommunitySettings(models.Model):
    """Switches staff change at runtime. A single row (pk=1)."""

    class DeletedPosts(models.TextChoices):
        KEEP = "keep", _("Keep them, signed “deleted member”")
        REMOVE = "remove", _("Remove them")

    community_name = models.CharField(_("community name"), max_length=80, default="Veche")
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        default=DEFAULT_TAGLINE,
        blank=True,
    )
    private = models.BooleanField(
        _("private community"),
        default=False,
        help_text=_("Visitors see only the landing page; new sign-ups wait for staff approval."),
    )
    application_questions = models.TextField(
        _("application questions"),
        blank=True,
        max_length=2000,
        help_text=_(
            "In a private community, what someone who signs up answers: one question a line."
        ),
    )
    application_questions_ru = russian_text(_("application questions in Russian"))
    deleted_member_posts = models.CharField(
        _("posts of a deleted account"),
        max_length=8,
        choices=DeletedPosts.choices,
        default=DeletedPosts.KEEP,
        help_text=_("What happens to the public posts of a member who deletes their account."),
    )

    # Privileges members earn by trust level (docs/privileges.md); staff move the thresholds.
    privilege_retag_level = models.PositiveSmallIntegerField(
        _("retag questions from"),
        choices=Member.TrustLevel.choices,
        default=Member.TrustLevel.BASIC,
        help_text=_("The trust level at which members may change a question's tags."),
    )
    privilege_suggest_edit_level = models.PositiveSmallIntegerField(
        _("suggest edits from"),
        choices=Member.TrustLevel.choices,
        default=Member.TrustLevel.BASIC,
        help_text=_(
            "The trust level at which members may suggest edits to others' posts; a suggested "
            "edit waits for a reviewer."
        ),
    )
    privilege_edit_level = models.PositiveSmallIntegerField(
        _("edit others' posts from"),
        choices=Member.TrustLevel.choices,
        default=Member.TrustLevel.LEADER,
        help_text=_(
            "The trust level at which members edit others' posts at once and review suggested "
            "edits."
        ),
    )
    privilege_close_level = models.PositiveSmallIntegerField(
        _("vote to close and reopen from"),
        choices=Member.TrustLevel.choices,
        default=Member.TrustLevel.REGULAR,
        help_text=_("The trust level at which members may vote to close or reopen a question."),
    )
    close_votes_needed = models.PositiveSmallIntegerField(
        _("votes to close or reopen"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many members' votes close (or reopen) a question."),
    )
    flag_weight_new = models.FloatField(
        _("flag weight of new members"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    flag_weight_basic = models.FloatField(
        _("flag weight of basic members"),
        default=1.0,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    flag_weight_regular = models.FloatField(
        _("flag weight of regulars"),
        default=1.0,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    flag_weight_leader = models.FloatField(
        _("flag weight of leaders"),
        default=1.5,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_(
            "Open flags on a post that weigh as much as the hiding threshold hide it until a "
            "moderator decides (flags of new members never hide a post on their own)."
        ),
    )

    class Meta:
        verbose_name = _("community settings")
        verbose_name_plural = _("community settings")

    def __str__(self) -> str:
        return self.community_name

    def questions(self, language: str | None = None) -> list[str]:
        """The application questions in ``language`` (the active one), one per line; the
        Russian list is used only when it has as many questions as the English one."""
        english = [q.strip() for q in self.application_questions.splitlines() if q.strip()]
        russian = [q.strip() for q in self.application_questions_ru.splitlines() if q.strip()]
        if len(russian) != len(english):
            return english
        text = pick("\n".join(english), {"ru": "\n".join(russian)}, language)
        return text.splitlines()

    def flag_weight_for(self, trust_level: int) -> float:
        """The base weight of a flag by a member of ``trust_level``."""
        weights: dict[int, float] = {
            Member.TrustLevel.NEW: self.flag_weight_new,
            Member.TrustLevel.BASIC: self.flag_weight_basic,
            Member.TrustLevel.REGULAR: self.flag_weight_regular,
        }
        return weights.get(trust_level, self.flag_weight_leader)


class MembershipApplication(models.Model):
    """What someone who signed up to a private community answered; they cannot log in until
    staff or a moderator approve it. One per member."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="membership_application"
    )
    # [{"question": ..., "answer": ...}] in the language the applicant read the questions in.
    answers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="membershipapplication_decided_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ({self.status})"

    @property
    def title(self) -> str:
        """What the moderation inbox names the item (the applicant shows beside it)."""
        return str(_("Application to join"))


class MembershipInvitation(models.Model):
    """Staff invited someone by e-mail: whoever signs up through its link joins a private
    community at once, without an application. Used once."""

    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")

    def __str__(self) -> str:
        return self.email


class Notification(QuickLoad, models.Model):
    """An in-site notification. Text is rendered at display time from ``kind`` and ``params``
    so that it follows the reader's language."""

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    # Not a column: the text in the reader's language, set by
    # members.selectors.notifications_with_messages for the list page.
    message: str

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


def new_message_id() -> str:
    """A ``Message-ID`` made once, when the e-mail is written, and sent with every attempt:
    whoever receives the mail can count duplicates, and the sent ledger is keyed by it."""
    return f"<{uuid.uuid4().hex}@{settings.VECHE_MESSAGE_ID_DOMAIN}>"


class OutboundEmail(models.Model):
    """The e-mail outbox. Every e-mail is recorded here before any broker is involved, so a
    broker or SMTP outage delays mail instead of losing it; ``members.outbox_flush`` retries
    (docs/jobs.md: the claim lease, the retry backoff, the sent ledger)."""

    recipient = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to = models.EmailField()
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # After a failed attempt the row waits until then (exponential backoff with jitter).
    retry_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, unique=True, default=new_message_id)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(sent_at__isnull=True),
            ),
            models.Index(fields=["recipient", "kind"], name="outbox_recipient_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"


class Bookmark(models.Model):
    """A post a member keeps for later (a question, an idea…: the models apps register in
    ``members.bookmarks``), with an optional note and reminder."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="bookmarks")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    note = models.CharField(_("note"), max_length=200, blank=True)
    remind_at = models.DateTimeField(_("remind me"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "target_type", "target_id"], name="bookmark_one_per_member"
            )
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="bookmark_member_idx"),
            # The reminder sweep reads only the bookmarks still to remind.
            models.Index(
                fields=["remind_at"],
                name="bookmark_due_idx",
                condition=models.Q(remind_at__isnull=False, reminded_at__isnull=True),
            ),
        ]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")

    def __str__(self) -> str:
        return f"{self.member_id} keeps {self.target_type_id}/{self.target_id}"


class MemberFollow(models.Model):
    """A member follows another to see their new posts in a feed (``/feed/``)."""

    follower = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="following")
    followed = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followed"], name="memberfollow_one_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="memberfollow_not_self"
            ),
        ]
        indexes = [models.Index(fields=["followed", "follower"], name="memberfollow_followed_idx")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followed_id}"


class Mention(models.Model):
    """A member was told that ``author`` mentioned them in a post (a question, an answer, a
    comment, an idea): one row per post and member, so an edit that keeps the mention tells
    nobody again. Only mentions that notified are kept (members.services_mentions)."""

    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="mentions")
    post_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    post_id = models.PositiveBigIntegerField()
    post = GenericForeignKey("post_type", "post_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post_type", "post_id", "member"], name="mention_once_per_post"
            ),
        ]
        indexes = [
            models.Index(fields=["author", "created_at"], name="mention_author_idx"),
            models.Index(fields=["created_at"], name="mention_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} mentioned {self.member_id}"


class SummaryEmail(models.Model):
    """One summary e-mail of one period (the day or the week it starts) to one member: at most
    one per period, and what became of it for staff's figures (opened the site from it, came
    back: ``ActivityDay`` rows after it)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="summaries")
    frequency = models.CharField(max_length=8, choices=SummaryFrequency.choices)
    period = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    items = models.PositiveSmallIntegerField(default=0)
    # The first visit through one of its links (``?from=summary&s=<id>``), recorded once.
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "frequency", "period"], name="summary_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} summary {self.period} → {self.member_id}"


class LetterTemplate(TranslatedModel, models.Model):
    """A letter staff write and members receive, edited on the site in both languages: the
    templates of personal outreach to members who went quiet, and the welcome letter (one
    row). Placeholders such as ``{name}`` are filled per member (``members.letters``)."""

    class Purpose(models.TextChoices):
        OUTREACH = "outreach", _("Personal outreach")
        WELCOME = "welcome", _("Welcome letter")

    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.OUTREACH
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("For staff; members never see it.")
    )
    subject = TranslatedCharField(_("subject"), max_length=200)
    subject_ru = russian_char(_("subject in Russian"), 200)
    body = TranslatedTextField(_("text"), max_length=10000)
    body_ru = russian_text(_("text in Russian"))
    # The welcome letter is signed by a named manager and sent in their name; outreach
    # letters are sent in the name of whoever writes them.
    signer = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "name", "id"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose"],
                condition=models.Q(purpose="welcome"),
                name="lettertemplate_one_welcome_letter",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- identity: the product's single sign-on, data exports ----------------------------------


class ProductAccount(models.Model):
    """The link between a member and their account in the company's product (single sign-on,
    members/sso.py). Members are found by ``external_id`` only, never by e-mail address."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="product_account")
    external_id = models.CharField(_("external id"), max_length=255, unique=True)
    # The product's groups at the last log-in, as it sent them.
    groups = models.JSONField(default=list, blank=True)
    avatar_url = models.URLField(_("avatar"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("product account")
        verbose_name_plural = _("product accounts")

    def __str__(self) -> str:
        return self.external_id


class SsoNonce(models.Model):
    """A nonce sent to the product with a log-in request; consumed (deleted) by the answer
    that carries it, so each is used once; older than VECHE_SSO_NONCE_SECONDS it is refused."""

    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.nonce


class SsoGroupMapping(models.Model):
    """A group of the product mapped to a Veche group and/or a badge: at each log-in a member
    in the product group joins the Veche group (and gets the badge); one who left it leaves."""

    product_group = models.CharField(_("product group"), max_length=100, unique=True)
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Veche group"),
    )
    badge = models.CharField(
        _("badge"), max_length=16, choices=Member.Badge.choices, default="", blank=True
    )

    class Meta:
        ordering = ["product_group"]
        verbose_name = _("product group mapping")
        verbose_name_plural = _("product group mappings")

    def __str__(self) -> str:
        return self.product_group


class DataExport(models.Model):
    """A member's "export my data" request and, once built, its ZIP. Downloadable by that
    member only, until ``expires_at``; the archive is kept in the database so every web node
    can serve it, and cleared when it expires."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="data_exports")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    archive = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "-created_at"], name="dataexport_member_idx")]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.member_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class MemberBadge(models.Model):
    """A badge of the catalogue (members.badges) a member earned, once per badge and tag
    (``tag`` is "" for a badge not earned in a tag: a unique constraint treats NULLs as
    distinct, so an empty string keeps "once" a database invariant)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="badges")
    badge = models.SlugField(max_length=40)
    tag = models.SlugField(max_length=50, blank=True, default="")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "badge", "tag"], name="memberbadge_one_per_member_badge_tag"
            )
        ]
        indexes = [models.Index(fields=["badge", "-awarded_at"], name="memberbadge_badge_idx")]
        ordering = ["-awarded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.badge}:{self.tag} → {self.member_id}"
