"""What the API reads and writes, as pydantic schemas (they make the OpenAPI schema).

Posts are given as their sanitized HTML (``body_html``, what the pages show) and, where the
page loads it, their Markdown source. ``state`` is ``published``, or ``held`` for a post
awaiting a moderator (only its author and moderators see those)."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the member's language.")
    errors: dict[str, list[str]] | None = Field(
        None, description="Per field, for invalid input (400)."
    )


class AuthorOut(Schema):
    username: str
    name: str
    badge: str
    is_staff: bool


class CategoryOut(Schema):
    slug: str
    name: str
    description: str
    ambassadors_only: bool


class TagOut(Schema):
    slug: str
    name: str
    question_count: int


class CommentOut(Schema):
    id: int
    author: AuthorOut | None = None
    body_html: str
    created_at: datetime
    state: str = Field(validation_alias="moderation_state")


class QuestionRowOut(Schema):
    id: int
    title: str
    url: str
    category: str
    tags: list[str]
    author: AuthorOut | None = None
    score: int
    answer_count: int
    view_count: int
    is_solved: bool
    is_closed: bool
    is_locked: bool
    is_deleted: bool
    created_at: datetime
    last_activity_at: datetime
    state: str = Field(validation_alias="moderation_state")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return str(obj.category.slug)

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [tag.slug for tag in obj.tags.all()]


class AnswerOut(Schema):
    id: int
    author: AuthorOut | None = None
    body: str
    body_html: str
    score: int
    is_accepted: bool
    is_official: bool
    created_at: datetime
    edited_at: datetime | None
    state: str = Field(validation_alias="moderation_state")
    my_vote: int | None = Field(None, description="The viewer's vote: 1, -1 or null.")
    comments: list[CommentOut] = Field(validation_alias="comment_list")


class QuestionOut(QuestionRowOut):
    body: str
    body_html: str
    my_vote: int | None = Field(None, description="The viewer's vote: 1, -1, 0 or null.")
    is_following: bool = False
    follower_count: int
    comments: list[CommentOut] = Field(validation_alias="comment_list")
    answers: list[AnswerOut] = Field(validation_alias="answer_list")


class QuestionPage(Schema):
    results: list[QuestionRowOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page.")


class FaqOut(Schema):
    id: int
    title: str
    url: str
    category: str
    body: str
    body_html: str
    is_published: bool
    review_by: date | None
    updated_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return str(obj.category.slug)


class FaqPage(Schema):
    results: list[FaqOut]
    next_cursor: str | None


class IdeaRowOut(Schema):
    id: int
    title: str
    url: str
    status: str
    category: str
    author: AuthorOut | None = None
    vote_count: int
    comment_count: int
    created_at: datetime
    status_changed_at: datetime
    state: str = Field(validation_alias="moderation_state")
    merged_into: int | None = Field(validation_alias="merged_into_id")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return str(obj.category.slug)


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    note_html: str
    by: AuthorOut | None = None
    at: datetime


class IdeaOut(IdeaRowOut):
    description: str
    description_html: str
    voted: bool = Field(False, validation_alias="viewer_voted")
    history: list[StatusChangeOut]
    comments: list[CommentOut]


class IdeaPage(Schema):
    results: list[IdeaRowOut]
    next_cursor: str | None


class TagPage(Schema):
    results: list[TagOut]
    next_cursor: str | None


class MemberOut(Schema):
    username: str
    name: str
    badge: str
    is_staff: bool
    reputation: int
    joined: datetime = Field(validation_alias="date_joined")
    bio: str
    website: str
    expertise: list[str]
    url: str

    @staticmethod
    def resolve_expertise(obj: Any) -> list[str]:
        return [e.tag_slug for e in obj.expertise.all()]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_absolute_url())


class MemberPage(Schema):
    results: list[MemberOut]
    next_cursor: str | None


class SearchHitOut(Schema):
    kind: str
    title: str
    url: str
    excerpt_html: str = Field(validation_alias="excerpt")
    created_at: datetime | None = None
    solved: bool = False


class SearchPage(Schema):
    results: list[SearchHitOut]
    page: int
    has_next: bool


class QueueTargetOut(Schema):
    type: str
    id: int
    title: str
    url: str


class QueueItemOut(Schema):
    id: int
    queue: str
    reason: str
    member: str | None
    created_at: datetime
    target: QueueTargetOut | None


class QueuePage(Schema):
    results: list[QueueItemOut]
    next_cursor: str | None


class CreatedOut(Schema):
    id: int
    url: str
    state: str = Field(description="published, or held: waiting for a moderator.")


class ScoreOut(Schema):
    score: int


class DoneOut(Schema):
    done: bool = True


class VotedOut(Schema):
    voted: bool
    vote_count: int


class MeOut(Schema):
    member: AuthorOut
    token_name: str | None
    scopes: list[str]


# --- input ------------------------------------------------------------------------------


class QuestionIn(Schema):
    title: str
    body: str
    category: str = Field(description="The category's slug.")
    tags: list[str] = Field(default_factory=list, description="Up to five tag names.")


class BodyIn(Schema):
    body: str


class VoteIn(Schema):
    value: Literal[1, 0, -1] = Field(description="1 up, -1 down, 0 withdraws the vote.")


class IdeaIn(Schema):
    title: str
    description: str
    category: str = Field(description="The category's slug.")


class IdeaStatusIn(Schema):
    status: str
    note: str


class FaqPublishIn(Schema):
    is_published: bool


class ApproveIn(Schema):
    message: str = ""


class RejectIn(Schema):
    rule: int | None = Field(None, description="The id of the rule the post breaks.")
    message: str = ""
