"""Questions, answers, votes and revisions: the Q&A part of the forum."""

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import DEFAULT_DB_ALIAS, models, router
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from config.cache import TouchingQuerySet
from config.db import CompiledRead, padded_ids
from config.urlbuild import url_for
from moderation.content import ModeratedContent, ModerationState

from .common import Tag

if TYPE_CHECKING:
    from .common import Comment


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    OFF_TOPIC = "off_topic", _("Off-topic")


class QuestionQuerySet(TouchingQuerySet):
    """``prefetch_related("tags")`` in one plain query (``with_tags``): Django's prefetch of a
    many-to-many builds a related manager and a filtered queryset per question, 3.4 ms for a
    list page's 30 rows, four times the query itself. Any other lookup (``tags__…``, a
    ``Prefetch``) goes Django's way."""

    def _prefetch_related_objects(self) -> None:
        lookups: list[Any] = list(getattr(self, "_prefetch_related_lookups", ()))
        loaded: list[Any] = self._result_cache or []
        plain = [lookup for lookup in lookups if isinstance(lookup, str)]
        if (
            "tags" in plain
            and not any(lookup.startswith("tags__") for lookup in plain)
            and self._iterable_class is models.query.ModelIterable
        ):
            lookups = [lookup for lookup in lookups if lookup != "tags"]
            with_tags(loaded, self.db)
        if lookups:
            models.prefetch_related_objects(loaded, *lookups)
        self._prefetch_done = True


def _tags_of(*question_ids: int) -> "QuerySet[Tag]":
    return Tag.objects.filter(questions__in=question_ids).annotate(tagged=F("questions__id"))


# The tags of up to 20 or 50 questions (a list's page; fewer ids are padded: padded_ids),
# compiled once per process (config.db.CompiledRead): building and compiling the query cost
# ~0.4 ms a list page, as much as running it.
_TAGS_OF = {size: CompiledRead(Tag, _tags_of) for size in (20, 50)}


def with_tags(questions: "list[Question]", db: str) -> None:
    """Each question's tags (``question.tags.all()``), in the tags' order, from one query on
    ``db`` (a replica's read stays there): what Django's prefetch leaves, without its work."""
    pending = [q for q in questions if "tags" not in getattr(q, "_prefetched_objects_cache", {})]
    if not pending:
        return
    ids = sorted({q.pk for q in pending})
    tags: dict[int, list[Tag]] = {pk: [] for pk in ids}
    size = next((size for size in _TAGS_OF if len(ids) <= size), 0)
    if size and db == (router.db_for_read(Tag) or DEFAULT_DB_ALIAS):
        for tag in _TAGS_OF[size](*padded_ids(ids, size)):
            tags[tag.__dict__.pop("tagged")].append(tag)
    else:
        names = [field.attname for field in Tag._meta.concrete_fields]
        rows = Tag.objects.using(db).filter(questions__in=ids).values_list("questions__id", *names)
        for question_id, *values in rows:
            tags[question_id].append(Tag.from_db(db, names, values))
    for question in pending:
        keep_tags(question, tags[question.pk], db)


def keep_tags(question: "Question", tags: list[Tag], db: str) -> None:
    """``question.tags.all()`` gives ``tags`` without a query, as ``prefetch_related("tags")``
    leaves it."""
    kept: Any = models.QuerySet(model=Tag, using=db)
    kept._result_cache, kept._prefetch_done = tags, True
    question.__dict__.setdefault("_prefetched_objects_cache", {})["tags"] = kept


class Question(ModeratedContent):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="questions"
    )
    category = models.ForeignKey(
        "forum.Category",
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    tags = models.ManyToManyField(
        "forum.Tag", blank=True, related_name="questions", verbose_name=_("tags")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True)
    body = models.TextField(_("body"), max_length=20000)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Denormalized counters, changed with F() by the services; question_synchronize recomputes.
    score = models.IntegerField(default=0, db_index=True)
    answer_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    accepted_answer = models.OneToOneField(
        "forum.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    solved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    official_answered_at = models.DateTimeField(null=True, blank=True)
    is_locked = models.BooleanField(_("locked"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why it is closed (empty: an older close, or open); the note says why it is off-topic.
    close_reason = models.CharField(
        _("close reason"), max_length=12, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("close note"), max_length=200, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    accept_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Filled on PostgreSQL only (search.vectors); GIN-indexed by migration.
    search_vector = SearchVectorField(null=True, editable=False)

    objects: ClassVar["models.Manager[Question]"] = QuestionQuerySet.as_manager()

    # Not a column: the comments the viewer may see, set for the question page by
    # forum.selectors.questions.
    comment_list: list["Comment"]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["category", "-created_at"], name="question_category_idx"),
            models.Index(fields=["-last_activity_at", "-id"], name="question_activity_idx"),
            models.Index(fields=["-score", "-id"], name="question_score_idx"),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.title

    @property
    def url_slug(self) -> str:
        return self.slug or slugify(self.title, allow_unicode=True) or "q"

    def get_absolute_url(self) -> str:
        return url_for("forum:question-detail", pk=self.pk, slug=self.url_slug)

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def shown_tags(self) -> list[Tag]:
        """``tags.all()`` as a list, straight from what was loaded with the question
        (``keep_tags``, ``prefetch_related("tags")``): Django builds a related manager at each
        ``question.tags`` (~18 µs; a list page asked once per row)."""
        kept = getattr(self, "_prefetched_objects_cache", {}).get("tags")
        if kept is not None and kept._result_cache is not None:
            return kept._result_cache
        return list(self.tags.all())

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Answer(ModeratedContent):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="answers"
    )
    body = models.TextField(_("answer"), max_length=20000)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    is_accepted = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    is_official = models.BooleanField(
        _("official"), default=False, help_text=_("Written by staff.")
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    # Not a column: set for the question page by forum.selectors.questions, as on Question.
    comment_list: list["Comment"]

    class Meta:
        ordering = ["-is_accepted", "-score", "created_at", "id"]
        indexes = [
            models.Index(fields=["question", "created_at"], name="answer_question_idx"),
            # A member's answers awaiting approval (their question page asks on every view):
            # only held rows, so it stays tiny and the planner never walks the whole held
            # queue by ``moderation_state`` (1.5 ms with 2,000 held answers).
            models.Index(
                fields=["author", "question"],
                condition=models.Q(moderation_state=ModerationState.HELD, deleted_at=None),
                name="answer_held_by_author",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(is_accepted=True),
                name="answer_one_accepted_per_question",
            )
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VoteValue(models.IntegerChoices):
    UP = 1, _("Up")
    DOWN = -1, _("Down")


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_votes"
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Whether this vote moved its author's reputation (decided when it was cast, so that
    # changing or withdrawing it later undoes exactly what it gave): see vote_cast.
    moves_reputation = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "member"], name="questionvote_one_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=[1, -1]), name="questionvote_value_valid"
            ),
        ]


class AnswerVote(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_votes"
    )
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Whether this vote moved its author's reputation (decided when it was cast, so that
    # changing or withdrawing it later undoes exactly what it gave): see vote_cast.
    moves_reputation = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "member"], name="answervote_one_per_member"),
            models.CheckConstraint(
                condition=models.Q(value__in=[1, -1]), name="answervote_value_valid"
            ),
        ]


class Revision(models.Model):
    """The text of a question, answer or comment before an edit (any model)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="Who made this version.",
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # A question's tag names in this version; None where they were not recorded (answers,
    # comments, revisions older than the retag privilege): reverting leaves the tags alone.
    tags = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_type", "target_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "number"], name="revision_number_unique"
            ),
        ]


class ReputationEvent(models.Model):
    """Why a member's reputation changed (votes, accepted answers); the sum is the reputation."""

    class Reason(models.TextChoices):
        QUESTION_VOTE = "question_vote", _("Vote on a question")
        ANSWER_VOTE = "answer_vote", _("Vote on an answer")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        EDIT_APPROVED = "edit_approved", _("Suggested edit approved")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_events"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    delta = models.IntegerField()
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["member", "created_at"], name="repevent_member_idx")]
