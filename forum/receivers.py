"""How Q&A plugs into the apps below it: moderation (content types and their publishing
callbacks), members (notification kinds, profile section), config (home section, counted
lists) and the site search. ``ForumConfig.ready`` calls ``connect`` once."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.cache import READ_AHEAD, model_scopes, nothing, scopes_of
from config.home import HOME_AS_VISITORS, HOME_SECTIONS
from config.jinja2 import register_global
from members import personal_data
from members.badges import register_rule
from members.bookmarks import register_bookmarkable
from members.feed import register_feed_source
from members.notifications import register_kind, register_target_visibility
from members.profile import PROFILE_SECTIONS
from members.summary import register_summary_source
from members.watching import register_watch_source
from moderation.models import AuditLogEntry
from moderation.registry import register_audit_revert, register_content, register_queue
from search.hooks import register_no_hits_extra
from search.sources import register_source
from uploads.registry import register_draft_kind, register_post

from .hooks import answer_accepted
from .labels import GLOBALS as LABELS
from .models import (
    Answer,
    AnswerVote,
    AskVisit,
    CloseVote,
    Comment,
    DeflectionFeedback,
    FaqEntry,
    Follow,
    Question,
    QuestionRead,
    QuestionVote,
    ReputationEvent,
    Revision,
    SuggestedEdit,
    Tag,
    TopicWatch,
)
from .permissions import questions as perms
from .selectors import search_sources
from .selectors.questions import (
    held_questions_entry,
    question_answer_draft_targets,
    question_bookmark_titles,
    questions_and_answers_by,
)
from .selectors.sections import home_as_visitors, home_section, profile_section
from .selectors.summary import summary_questions
from .selectors.watching import topic_watches_of, watch_levels_entry, watch_scope
from .services import badges, privacy
from .services.answers import answer_on_publish, answer_search_index_all
from .services.comments import comment_on_publish
from .services.faq import faq_entry_search_index_all
from .services.privileges import (
    SUGGESTED_EDITS_QUEUE,
    audit_entry_revertible,
    suggested_edit_queue_approve,
    suggested_edit_queue_reject,
)
from .services.questions import question_on_publish, question_search_index_all

# What decides which questions a list holds: a change of these (or a whole save: a new or
# edited question) touches every list; any other change (a vote, an answer's count, a view)
# only the question's own scope, which is also the scope of its rows in the lists that show
# it (forum.views.questions: page_shows).
LIST_FIELDS = frozenset({"moderation_state", "deleted_at", "category", "category_id", "tags"})


COUNT_ONLY = frozenset({"question_count"})


def question_scopes(question: Question, fields: frozenset | None) -> tuple[str, ...]:
    """A question's page, and the lists, the home page and the tag pages that show it."""
    if fields is not None and fields <= {"follower_count"}:
        return ()  # shown to members only, read fresh (forum.selectors.questions)
    if fields is not None and not fields & LIST_FIELDS:
        return (f"question:{question.pk}",)
    return (f"question:{question.pk}", "questions")


def answer_scopes(answer: Answer, fields: frozenset | None) -> tuple[str, ...]:
    """The question's page and its rows in the lists (they count answers)."""
    return (f"question:{answer.question_id}",)


def comment_scopes(comment: Comment, fields: frozenset | None) -> tuple[str, ...]:
    """The page of the post commented on (a question, an answer's question, an idea):
    only its own page, not the lists."""
    target = getattr(comment, "target", None)  # (historical models in migrations have none)
    return tuple(s for s in scopes_of(target) if ":" in s) if target is not None else ()


def audit_revert_url(entry: AuditLogEntry) -> str | None:
    """The log's "Revert" link for an edit, a retag or a close (docs/privileges.md)."""
    if not audit_entry_revertible(entry):
        return None
    return reverse("forum:audit-revert", kwargs={"pk": entry.pk})


def answer_accepted_badges(sender: type, answer: Answer, **kwargs: Any) -> None:
    badges.badges_on_answer_accepted(answer=answer)


def register_badges() -> None:
    """The forum's badges: awarded on its events, and these rules for the back-fill job."""
    answer_accepted.connect(answer_accepted_badges, dispatch_uid="forum.answer_accepted_badges")
    register_rule("helper", badges.helper_holders)
    register_rule("scholar", badges.scholar_holders)
    register_rule("tag-expert", badges.tag_expert_holders)
    register_rule("faq-author", badges.faq_author_holders)


def connect() -> None:
    register_badges()
    for name, function in LABELS.items():
        register_global(name, function)
    model_scopes(Question, question_scopes)
    # A member's lists ask for both (forum.selectors).
    READ_AHEAD["forum"] = lambda member_id: (
        held_questions_entry(member_id),
        watch_levels_entry(member_id),
    )
    model_scopes(Answer, answer_scopes)
    model_scopes(Comment, comment_scopes)
    model_scopes(FaqEntry, lambda entry, fields: ("faq",))
    model_scopes(
        Tag, lambda tag, fields: () if fields == frozenset({"question_count"}) else ("site",)
    )
    # Votes move the score by an UPDATE, which touches the question (config.cache's
    # TouchingQuerySet); follows, revisions, reputation events, feedback and visits to the ask
    # form show on no page.
    for model in (
        QuestionVote,
        AnswerVote,
        Follow,
        Revision,
        ReputationEvent,
        DeflectionFeedback,
        AskVisit,
        QuestionRead,
        CloseVote,
        SuggestedEdit,
    ):
        model_scopes(model, nothing)
    # A level changes only that member's lists (their totals are kept under this scope).
    model_scopes(TopicWatch, lambda watch, fields: (watch_scope(watch.member_id),))
    register_watch_source(topic_watches_of)
    register_summary_source(summary_questions)
    register_content(
        Comment,
        label=_("comment"),
        on_publish=comment_on_publish,
        visible_to=perms.comments_visible_to,
    )
    register_content(
        Question,
        label=_("question"),
        on_publish=question_on_publish,
        visible_to=perms.questions_visible_to,
    )
    register_content(
        Answer, label=_("answer"), on_publish=answer_on_publish, visible_to=perms.answers_visible_to
    )
    # Notifications quote the question's title: only while the member may see the post and
    # its question.
    register_target_visibility(Question, perms.questions_visible_to)
    register_target_visibility(
        Answer,
        lambda viewer: perms.answers_visible_to(viewer).filter(
            question__in=perms.questions_visible_to(viewer)
        ),
    )
    register_target_visibility(Comment, perms.comments_visible_to)
    register_bookmarkable(Question, label=_("question"), load=question_bookmark_titles)
    # What members type into the ask form and into a question's answer box is kept as a
    # draft until posted.
    register_draft_kind(
        "question", label=_("New question"), url=lambda: reverse("forum:question-ask")
    )
    register_draft_kind("answer", label=_("Answer"), targets=question_answer_draft_targets)
    # Uploads in a post are readable by whoever may read the post.
    register_post(Question, label=_("question"), visible_to=perms.questions_visible_to)
    register_post(Answer, label=_("answer"), visible_to=perms.answers_readable_to)
    register_post(Comment, label=_("comment"), visible_to=perms.comments_readable_to)
    register_post(
        FaqEntry,
        label=_("FAQ entry"),
        visible_to=perms.faq_entries_visible_to,
        author_field="created_by",
    )
    register_feed_source(questions_and_answers_by)
    register_queue(
        SUGGESTED_EDITS_QUEUE,
        label=_("Suggested edits"),
        target_age=timedelta(days=2),
        on_approve=suggested_edit_queue_approve,
        on_reject=suggested_edit_queue_reject,
        order=60,
    )
    register_audit_revert(audit_revert_url)

    register_kind(
        "answer_new",
        group="questions",
        label=_("New answers to questions you follow"),
        message=_("%(actor)s answered “%(title)s”"),
    )
    register_kind(
        "comment_new",
        group="questions",
        email_default=False,
        label=_("New comments on questions you follow"),
        message=_("%(actor)s commented on “%(title)s”"),
    )
    register_kind(
        "answer_accepted",
        group="questions",
        label=_("Your answer was accepted"),
        message=_("%(actor)s accepted your answer to “%(title)s”"),
    )
    register_kind(
        "mention",
        group="questions",
        label=_("Mentions of you"),
        message=_("%(actor)s mentioned you in “%(title)s”"),
    )
    register_kind(
        "watched_question",
        group="questions",
        label=_("New questions in tags and categories you watch"),
        message=_("%(actor)s asked “%(title)s”"),
    )
    register_kind(
        "watched_answer",
        group="questions",
        label=_("New answers in tags and categories you watch"),
        message=_("%(actor)s answered “%(title)s”"),
    )
    register_kind(
        "accept_reminder",
        group="questions",
        label=_("Reminders to accept an answer"),
        message=_("Your question “%(title)s” has answers. Did one solve it?"),
    )

    register_source(
        "question",
        label=_("Questions"),
        search=search_sources.question_search,
        rank=search_sources.question_rank,
        rebuild=question_search_index_all,
        as_visitors=search_sources.searches_as_visitor,
    )
    register_source(
        "answer",
        label=_("Answers"),
        search=search_sources.answer_search,
        rank=search_sources.answer_rank,
        rebuild=answer_search_index_all,
        as_visitors=search_sources.searches_as_visitor,
    )
    register_source(
        "faq",
        label=_("FAQ"),
        search=search_sources.faq_search,
        rank=search_sources.faq_rank,
        rebuild=faq_entry_search_index_all,
        as_visitors=search_sources.searches_as_visitor,
    )
    register_no_hits_extra("forum/_search_ask.html")
    if home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(home_section)
    if home_as_visitors not in HOME_AS_VISITORS:
        HOME_AS_VISITORS.append(home_as_visitors)
    if profile_section not in PROFILE_SECTIONS:
        PROFILE_SECTIONS.append(profile_section)
    register_personal_data()


def register_personal_data() -> None:
    """The forum's rows about a member ("export my data", "delete my account")."""
    personal_data.register(
        "forum.questions", _("Questions"), export=privacy.export_questions, erase=privacy.erase
    )
    personal_data.register("forum.answers", _("Answers"), export=privacy.export_answers)
    personal_data.register("forum.comments", _("Comments"), export=privacy.export_comments)
    personal_data.register(
        "forum.votes", _("Votes on questions and answers"), export=privacy.export_votes
    )
    personal_data.register("forum.follows", _("Followed questions"), export=privacy.export_follows)
    personal_data.register(
        "forum.watches", _("Tags and categories you watch"), export=privacy.export_watches
    )
    personal_data.register(
        "forum.reputation", _("Reputation history"), export=privacy.export_reputation
    )
    personal_data.register(
        "forum.feedback", _("“Did this answer your question?”"), export=privacy.export_feedback
    )
