"""Question reads: shaped, visibility-filtered querysets for the lists and the question page,
and the posts the actions on it fetch."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language

from config.cache import SITE, page_cache_seconds, remember
from config.db import CompiledRead, InSubquery, planned_once, prepared
from members.feed import FeedItem
from members.models import Bookmark, Member
from members.selectors import (
    SHOWN_BESIDE_POSTS,
    columns_with_author,
    member_list_experts,
    member_ranked_experts_in,
)
from moderation.content import ModerationState

from ..models import (
    Answer,
    AnswerVote,
    Category,
    Comment,
    DeflectionFeedback,
    Follow,
    Question,
    QuestionVote,
    Tag,
)
from ..models.questions import keep_tags, with_tags
from ..permissions import questions as perms
from ..permissions.questions import Viewer

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # narrows both ways, as in forum.permissions

_Post = TypeVar("_Post", Question, Answer)


def _authenticated(viewer: Viewer) -> "TypeIs[Member]":
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def question_list_for(viewer: Viewer) -> QuerySet[Question]:
    """Questions for list pages: bodies and search vectors are not loaded (lists never show
    them, and they are most of a row's bytes)."""
    return (
        perms.questions_visible_to(viewer)
        .select_related("author", "category")
        .only(*columns_with_author(Question, "body", "body_html", "search_vector"))
        .prefetch_related("tags")
    )


# A page of the visitors' main list per status, order, "in a category" and rows shown, its
# query compiled once per process (config.db.CompiledRead): building and compiling it through
# the filter cost ~0.5 ms of a list page. Each holds its compiled query, ~35 KB: at most
# VISITOR_LIST_READS of them (~14 MB a process; the first pages of every status and order fit,
# the benchmark's traffic reads 249 list pages); any other page goes the ORM's way.
VISITOR_LIST_READS = 400
_visitor_list_reads: dict[tuple, CompiledRead[Question]] = {}


def _visitor_list(status: str, sort: str, in_category: bool, bottom: int, top: int) -> Callable:
    def build(*category_id: int) -> QuerySet[Question]:
        from ..filters_qa import QuestionFilter  # lazy: forum.filters_qa imports this module

        data = QueryDict(mutable=True)
        data.update({"status": status, "sort": sort})
        listed = question_list_for(AnonymousUser()).prefetch_related(None)
        listed = QuestionFilter(data, queryset=listed).qs
        if in_category:
            listed = listed.filter(category=category_id[0])
        return listed[bottom:top]

    return build


def visitor_list_rows(
    *, status: str, sort: str, category_id: int | None, bottom: int, top: int
) -> list[Question] | None:
    """Rows ``bottom`` to ``top`` of the visitors' main list as its filter gives them, with
    their tags; ``None`` where no compiled read gives them: "needs-staff" (its SQL holds the
    time), or too many kept."""
    key = (status, sort, category_id is not None, bottom, top)
    read = _visitor_list_reads.get(key)
    if read is None:
        if status == "needs-staff" or len(_visitor_list_reads) >= VISITOR_LIST_READS:
            return None
        read = _visitor_list_reads[key] = CompiledRead(Question, _visitor_list(*key))
    with prepared(Question):  # and planned once per connection
        rows = read(*([] if category_id is None else [category_id]))
        if rows:
            with_tags(rows, rows[0]._state.db or DEFAULT_DB_ALIAS)
    return rows


def held_questions_entry(member_id: int) -> tuple[str, tuple[str, ...]]:
    return f"veche:held-questions:{member_id}", ("questions",)


def member_has_held_questions(member: Member) -> bool:
    """Whether the member has questions awaiting approval (which lists show only to them),
    kept under ``questions`` (a new question, or one held, approved or deleted, touches it)."""
    return remember(
        *held_questions_entry(member.pk),
        lambda: Question.objects.filter(
            author=member, moderation_state=ModerationState.HELD, deleted_at__isnull=True
        ).exists(),
        600,
    )


def question_list_needing_staff(qs: QuerySet[Question], *, hours: int) -> QuerySet[Question]:
    """No staff answer yet, asked more than ``hours`` ago, still open."""
    return qs.filter(
        official_answered_at__isnull=True,
        closed_at__isnull=True,
        created_at__lte=timezone.now() - timedelta(hours=hours),
    )


def _question_rows(viewer: Viewer) -> QuerySet[Question]:
    """The question page's question as ``viewer`` may see it, with their vote, follow,
    feedback and bookmark annotated (not narrowed to one question, no tags)."""
    qs = perms.question_visible_any_category(viewer)
    if _authenticated(viewer):
        qs = qs.annotate(
            my_vote=Subquery(
                QuestionVote.objects.filter(question=OuterRef("pk"), member=viewer).values("value")[
                    :1
                ],
                output_field=IntegerField(),
            ),
            is_following=Exists(
                Follow.objects.filter(
                    member=viewer,
                    target_type=ContentType.objects.get_for_model(Question),
                    target_id=OuterRef("pk"),
                )
            ),
            gave_feedback=Exists(
                DeflectionFeedback.objects.filter(member=viewer, question=OuterRef("pk"))
            ),
            my_bookmark=Subquery(
                Bookmark.objects.filter(
                    member=viewer,
                    target_type=ContentType.objects.get_for_model(Question),
                    target_id=OuterRef("pk"),
                ).values("id")[:1],
                output_field=IntegerField(),
            ),
        )
    else:
        qs = qs.annotate(
            my_vote=Value(0, output_field=IntegerField()),
            is_following=Value(False),
            gave_feedback=Value(False),
            my_bookmark=Value(None, output_field=IntegerField()),
        )
    return qs.select_related("author", "category").only(
        *columns_with_author(Question, "search_vector")
    )


def _answer_rows(viewer: Viewer, question_id: int) -> QuerySet[Answer]:
    """A question's answers as ``viewer`` may see them (accepted first, then by score), with
    their vote on each annotated."""
    answers_qs = (
        perms.answers_visible_to(viewer)
        .filter(question_id=question_id)
        .select_related("author")
        .only(*columns_with_author(Answer, "search_vector"))
    )
    if _authenticated(viewer):
        answers_qs = answers_qs.annotate(
            my_vote=Subquery(
                AnswerVote.objects.filter(answer=OuterRef("pk"), member=viewer).values("value")[:1],
                output_field=IntegerField(),
            )
        )
    return answers_qs.order_by("-is_accepted", "-score", "created_at", "id")


def question_get_for_view(*, pk: int, viewer: Viewer) -> Question:
    """The question with the viewer's vote, follow and feedback annotated (one query) and
    its tags (one query). Ambassador-only categories are checked by the caller (403)."""
    question = _question_rows(viewer).prefetch_related("tags").get(pk=pk)
    return _with_original(question, viewer)


def _with_original(question: Question, viewer: Viewer) -> Question:
    # The duplicate banner names the original (a query of its own: few questions are
    # duplicates, and joining it made every question's query the slowest to compile): not
    # when it was hidden, deleted or is held since (or is in a category the viewer may not
    # enter).
    if question.duplicate_of_id is not None:
        original = (
            Question.objects.select_related("category")
            .defer("body", "body_html", "search_vector")
            .filter(pk=question.duplicate_of_id)
            .first()
        )
        shown = original is not None and perms.question_shown_to(viewer, original)
        question.duplicate_of = original if shown else None
    return question


def question_page_context(*, question: Question, viewer: Viewer) -> dict[str, list[Answer]]:
    """Answers (accepted first, then by score) and every comment on the page, in one query
    each."""
    answers, targets = list(_answer_rows(viewer, question.pk)), _comment_targets()
    comments = list(_comment_rows(viewer, question.pk, *targets))
    return {"answers": _with_comments(question, answers, comments, targets[0])}


def _comment_targets() -> tuple[int, int]:
    return (
        ContentType.objects.get_for_model(Question).pk,
        ContentType.objects.get_for_model(Answer).pk,
    )


def _comment_rows(
    viewer: Viewer, question_id: int, question_type: int, answer_type: int
) -> QuerySet[Comment]:
    """The comments ``viewer`` may see on a question and on its answers they may see (the
    content types' ids given: a compiled read's values)."""
    shown = perms.answers_visible_to(viewer).filter(question_id=question_id)
    answers = shown.values("pk").order_by()
    return (
        perms.comments_visible_to(viewer)
        .filter(
            Q(target_type_id=question_type, target_id=question_id)
            | Q(InSubquery(F("target_id"), answers), target_type_id=answer_type)
        )
        .select_related("author")
        .only(*columns_with_author(Comment, "body"))
        .order_by("created_at", "id")
    )


def _with_comments(
    question: Question, answers: list[Answer], comments: list[Comment], question_type: int
) -> list[Answer]:
    """``comments`` (``_comment_rows``) as the ``comment_list`` of the question and of each of
    ``answers`` (``question_type``: the questions' content type id)."""
    by_answer: dict[int, list[Comment]] = {a.pk: [] for a in answers}
    question.comment_list = []
    for comment in comments:
        if comment.target_type_id == question_type:
            question.comment_list.append(comment)
        else:
            by_answer.setdefault(comment.target_id, []).append(comment)
    for answer in answers:
        answer.comment_list = by_answer.get(answer.pk, [])
        answer.question = question
    return answers


def question_page_data(*, pk: int, viewer: Viewer) -> tuple[Question, list[Answer]]:
    """The question and its answers (with comments) as ``viewer`` may see them, with their
    votes, follow and feedback annotated.

    What every visitor sees of a published question is kept in the cache under the
    question's scope (``config.cache.remember``: any change of the question, its answers,
    comments or votes loads it afresh); a member then costs two small queries (their votes and
    whether they have held posts here). Moderators, members with held posts on the page and
    questions that are not public go the full way.
    """
    if not perms.is_forum_moderator(viewer):
        page = remember(
            f"veche:question-page:{pk}",
            (f"question:{pk}", SITE),
            lambda: _public_question_page(pk),
            page_cache_seconds(),
        )
        if page is not None:
            state = _viewer_state(pk, viewer, page[1]) if _authenticated(viewer) else _VISITOR_STATE
            if not state["has_held"]:
                return _with_viewer_state(page, state)
    return _question_and_answers(pk, viewer)


def _question_and_answers(pk: int, viewer: Viewer) -> tuple[Question, list[Answer]]:
    with prepared(Question):  # every uncached question page: planned once per connection
        question = question_get_for_view(pk=pk, viewer=viewer)
        return question, question_page_context(question=question, viewer=viewer)["answers"]


# What every visitor sees of a question, read by every uncached question page (members' too,
# before their own state): compiled once per process (config.db.CompiledRead), ~1.5 ms a page.
_PUBLIC_QUESTION = CompiledRead(
    Question, lambda pk: _question_rows(AnonymousUser()).filter(pk=pk)[:1]
)
_PUBLIC_TAGS = CompiledRead(Tag, lambda pk: Tag.objects.filter(questions=pk))
_PUBLIC_ANSWERS = CompiledRead(Answer, lambda pk: _answer_rows(AnonymousUser(), pk))
_PUBLIC_COMMENTS = CompiledRead(
    Comment, lambda pk, *targets: _comment_rows(AnonymousUser(), pk, *targets)
)


def _public_question_page(pk: int) -> tuple[Question, list[Answer]] | None:
    visitor = AnonymousUser()
    with prepared(Question):  # and planned once per connection
        found = _PUBLIC_QUESTION(pk)
        if not found:
            return None
        question = _with_original(found[0], visitor)
        keep_tags(question, _PUBLIC_TAGS(pk), question._state.db or DEFAULT_DB_ALIAS)
        targets = _comment_targets()
        comments = _PUBLIC_COMMENTS(pk, *targets)
        answers = _with_comments(question, _PUBLIC_ANSWERS(pk), comments, targets[0])
    # This load's own name: what is rendered from it (members' answers, forum.views.questions)
    # is kept under it, so a render can never outlive the data it was made from.
    question.__dict__["page_load"] = secrets.token_hex(8)
    return question, answers


_VISITOR_STATE: dict[str, Any] = {
    "my_vote": 0,
    "is_following": False,
    "gave_feedback": False,
    "my_bookmark": None,
    "has_held": False,
    "answer_votes": {},
}

# What ``question_get_for_view`` annotates and what ``perms._content_visibility`` adds for a
# member (their own held, undeleted posts), then their votes on the answers, in one round
# trip: through the ORM this check cost more than the rest of the page (2.8 ms). The first row
# (kind 0) is the state, each further row (kind 1) an answer's id and the member's vote on it;
# the EXISTS are numbers so that both halves have the same types.
# tests/forum/test_question_page_data.py checks it against the full way for every state a
# post can be in.
_VIEWER_STATE_SQL = """
SELECT 0, (SELECT value FROM {qvote} WHERE question_id = %(q)s AND member_id = %(me)s),
  CASE WHEN EXISTS(SELECT 1 FROM {follow} WHERE member_id = %(me)s AND target_type_id = {qct}
                   AND target_id = %(q)s) THEN 1 ELSE 0 END,
  CASE WHEN EXISTS(SELECT 1 FROM {feedback} WHERE member_id = %(me)s AND question_id = %(q)s)
       THEN 1 ELSE 0 END,
  CASE WHEN EXISTS(SELECT 1 FROM {answer} WHERE question_id = %(q)s AND author_id = %(me)s
                   AND moderation_state = {held} AND deleted_at IS NULL) THEN 1 ELSE 0 END,
  CASE WHEN EXISTS(SELECT 1 FROM {comment} WHERE author_id = %(me)s AND moderation_state = {held}
         AND deleted_at IS NULL AND ((target_type_id = {qct} AND target_id = %(q)s)
         OR (target_type_id = {act} AND target_id IN
             (SELECT id FROM {answer} WHERE question_id = %(q)s)))) THEN 1 ELSE 0 END,
  (SELECT follower_count FROM {question} WHERE id = %(q)s),
  (SELECT id FROM {bookmark} WHERE member_id = %(me)s AND target_type_id = {qct}
   AND target_id = %(q)s)
"""

_ANSWER_VOTES_SQL = """
UNION ALL
SELECT 1, answer_id, value, NULL, NULL, NULL, NULL, NULL FROM {answer_vote}
  WHERE member_id = %(me)s AND answer_id IN (SELECT id FROM {answer} WHERE question_id = %(q)s)
"""


def _viewer_state(pk: int, viewer: Member, answers: list[Answer]) -> dict:
    """The member's vote, follow and feedback on the question, whether they have posts held
    for moderation on it (which only they see) and their votes on its answers.

    Planned once per connection (``config.db.planned_once``): the content types and the held
    state are written into the statement, not passed, so that its one plan still uses the
    indexes of held posts (a plan made without them reads all of a member's comments)."""
    q = connection.ops.quote_name
    tables = {
        name: q(model._meta.db_table)
        for name, model in (
            ("question", Question),
            ("qvote", QuestionVote),
            ("follow", Follow),
            ("feedback", DeflectionFeedback),
            ("answer", Answer),
            ("comment", Comment),
            ("answer_vote", AnswerVote),
            ("bookmark", Bookmark),
        )
    }
    held = ModerationState.HELD.value
    assert held.isalpha()  # noqa: S101 - a constant of the code, written into the SQL
    constants = {
        "qct": int(ContentType.objects.get_for_model(Question).pk),
        "act": int(ContentType.objects.get_for_model(Answer).pk),
        "held": f"'{held}'",
    }
    sql = _VIEWER_STATE_SQL.format(**tables, **constants)  # noqa: S608 - names, constants
    if answers:
        sql += _ANSWER_VOTES_SQL.format(**tables)  # noqa: S608 - as above
    params = {"q": pk, "me": viewer.pk}
    with planned_once() as cursor:  # on most member pages, and planning it costs the most
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    [state] = [row[1:] for row in rows if row[0] == 0]
    vote, following, feedback, held_answer, held_comment, followers, bookmark = state
    votes = {row[1]: row[2] for row in rows if row[0] == 1}
    return {
        "my_vote": vote,
        "is_following": bool(following),
        "gave_feedback": bool(feedback),
        "has_held": bool(held_answer or held_comment),
        "answer_votes": votes,
        "follower_count": followers,
        "my_bookmark": bookmark,
    }


def _with_viewer_state(
    page: tuple[Question, list[Answer]], state: dict
) -> tuple[Question, list[Answer]]:
    """The viewer's state where ``question_get_for_view``'s annotations would be (the page
    came from the cache: this request's own objects)."""
    question, answers = page
    question.__dict__.update(
        my_vote=state["my_vote"],
        is_following=state["is_following"],
        gave_feedback=state["gave_feedback"],
        my_bookmark=state["my_bookmark"],
    )
    if "follower_count" in state:  # members see it, fresh: a follow touches no scope
        question.follower_count = state["follower_count"]
    for answer in answers:
        answer.question = question
        answer.__dict__["my_vote"] = state["answer_votes"].get(answer.pk)
    return question, answers


EXPERTS_SHOWN, EXPERTS_KEPT = 5, 15


# The best experts in a question's tags, the tags read by the same query: compiled once
# (compiling was two thirds of its CPU time; docs/caching.md, "Cheap renders"), from the
# experts ranked per tag (members.ExpertRank: a few rows per tag, not a walk by reputation).
def _experts_rows(pk: int) -> QuerySet[Member]:
    return member_ranked_experts_in(Tag.objects.filter(questions=pk).order_by().values("slug"))


_EXPERTS = CompiledRead(Member, lambda pk: _experts_rows(pk)[:EXPERTS_KEPT])


def _experts_kept(question_id: int) -> list[Member]:
    with prepared(Member):  # planned once per connection
        return _EXPERTS(question_id)


def question_experts(question: Question, answers: list[Answer]) -> list[Member]:
    """Members with expertise in the question's tags who have not answered (unsolved only).

    The best ``EXPERTS_KEPT`` of a set of tags are kept in the cache for every question with
    those tags (a few hundred sets, against one entry per question), and the question's own
    asker and answerers are left out here; only when they leave fewer than
    ``EXPERTS_SHOWN`` of a full list does the question ask the database itself."""
    slugs = sorted(t.slug for t in question.tags.all())
    if not slugs or question.is_solved:
        return []
    exclude = {question.author_id} | {a.author_id for a in answers}
    digest = hashlib.blake2b("+".join(slugs).encode(), digest_size=12).hexdigest()
    kept = remember(
        f"veche:experts:{digest}",
        (SITE,),
        lambda: _experts_kept(question.pk),  # the same for every question with these tags
        page_cache_seconds(),
    )
    shown = [member for member in kept if member.pk not in exclude][:EXPERTS_SHOWN]
    if len(shown) < EXPERTS_SHOWN and len(kept) == EXPERTS_KEPT:
        ids = [pk for pk in exclude if pk]
        return member_list_experts(slugs, exclude_ids=ids, limit=EXPERTS_SHOWN)
    return shown


def question_list_tagged(viewer: Viewer, tag: Tag) -> QuerySet[Question]:
    return question_list_for(viewer).filter(tags=tag)


def question_list_in_category(viewer: Viewer, category: Category) -> QuerySet[Question]:
    return question_list_for(viewer).filter(category=category)


# --- what the actions on a question page fetch ---------------------------------------------


# Each action on a question page (a vote, a comment, an answer, a follow, an edit…) first
# reads its post as the viewer may see it. Those reads are compiled once per process
# (config.db.CompiledRead), one for visitors and one for members (named by id: a stand-in
# member, below), since compiling them cost more than running them: 1.9 of 3.4 ms for a
# question and 2.5 of 4.4 ms for an answer with its question, on the benchmark's database.
# Moderators, who see deleted posts too, go Django's usual way. No search vector: no action
# shows it, and it is most of a post's bytes.


def _stand_in(member_id: int) -> Viewer:
    """A member who is no moderator, named by id: what a member's compiled read is built for
    (``perms._content_visibility`` reads only these)."""
    return cast(Member, SimpleNamespace(pk=member_id, is_authenticated=True, is_moderator=False))


def _question_by_state(viewer: Viewer) -> QuerySet[Question]:
    return (
        perms.question_visible_any_category(viewer)
        .select_related("category", "author")
        .defer("search_vector")
    )


def _answer_by_state(viewer: Viewer) -> QuerySet[Answer]:
    """An answer visible to the viewer, on a question visible to them, both by moderation
    state (the question's category is the caller's check: a 403)."""
    answers = perms.answers_visible_to(viewer)
    on_question = perms.question_visible_any_category(viewer).filter(pk=OuterRef("question_id"))
    return (
        answers.filter(Exists(on_question))
        .select_related("question", "author", "question__category")
        .defer("search_vector", "question__search_vector")
    )


_QUESTION_AS_VISITOR = CompiledRead(
    Question, lambda pk: _question_by_state(AnonymousUser()).filter(pk=pk)[:1]
)
_QUESTION_AS_MEMBER = CompiledRead(
    Question, lambda pk, me: _question_by_state(_stand_in(me)).filter(pk=pk)[:1]
)
_ANSWER_AS_VISITOR = CompiledRead(
    Answer, lambda pk: _answer_by_state(AnonymousUser()).filter(pk=pk)[:1]
)
_ANSWER_AS_MEMBER = CompiledRead(
    Answer, lambda pk, me: _answer_by_state(_stand_in(me)).filter(pk=pk)[:1]
)


def _one_as(
    viewer: Viewer,
    pk: int,
    by_state: Callable[[Viewer], QuerySet[_Post]],
    as_visitor: CompiledRead[_Post],
    as_member: CompiledRead[_Post],
) -> _Post | None:
    pk = int(pk)  # digits from an address (``re_path``) too
    if perms.is_forum_moderator(viewer):
        found = list(by_state(viewer).filter(pk=pk)[:1])
    elif _authenticated(viewer):
        found = as_member(pk, viewer.pk)
    else:
        found = as_visitor(pk)
    return found[0] if found else None


def question_get_visible(*, pk: int, viewer: Viewer) -> Question | None:
    """The question if the viewer may see it by its moderation state (moderators see deleted
    ones too); its category's restriction is left to the caller, which answers 403."""
    return _one_as(viewer, pk, _question_by_state, _QUESTION_AS_VISITOR, _QUESTION_AS_MEMBER)


def answer_get_visible(*, pk: int, viewer: Viewer) -> Answer | None:
    """The answer, with its question, if the viewer may see both by their moderation state
    (one query); the question's category is left to the caller, which answers 403."""
    return _one_as(viewer, pk, _answer_by_state, _ANSWER_AS_VISITOR, _ANSWER_AS_MEMBER)


def comment_list_visible(viewer: Viewer) -> QuerySet[Comment]:
    return perms.comments_visible_to(viewer)


def question_get_or_none(pk: int) -> Question | None:
    """Any question by id, whatever its state: what a moderator names as the original of a
    duplicate."""
    return Question.objects.filter(pk=pk).first()


def question_bookmark_titles(viewer: Viewer, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Title and address of each of ``ids`` the viewer may see (``members.bookmarks``)."""
    rows = perms.questions_visible_to(viewer).filter(pk__in=ids).only("pk", "title", "slug")
    return {question.pk: (question.title, question.get_absolute_url()) for question in rows}


def question_answer_draft_targets(viewer: Viewer, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Title and answer box of each of ``ids`` the viewer may see (drafts of answers,
    ``uploads.registry.register_draft_kind``)."""
    return {
        pk: (title, f"{url}#answer-form")
        for pk, (title, url) in question_bookmark_titles(viewer, ids).items()
    }


def questions_and_answers_by(
    viewer: Viewer, author_ids: list[int], before: datetime | None, limit: int
) -> list[FeedItem]:
    """The latest questions and answers of ``author_ids`` the viewer may see, newest first
    (the feed of the members one follows, ``members.feed``): one query each."""
    questions = perms.questions_visible_to(viewer).filter(author_id__in=author_ids)
    answers = perms.answers_visible_to(viewer).filter(
        author_id__in=author_ids, question__in=perms.questions_visible_to(viewer)
    )
    if before is not None:
        questions = questions.filter(created_at__lt=before)
        answers = answers.filter(created_at__lt=before)
    items: list[FeedItem] = [
        {
            "kind": "question",
            "title": q.title,
            "url": q.get_absolute_url(),
            "author_id": q.author_id,
            "created_at": q.created_at,
        }
        for q in questions.only("id", "title", "slug", "author_id", "created_at").order_by(
            "-created_at", "-id"
        )[:limit]
    ]
    items += [
        {
            "kind": "answer",
            "title": a.question.title,
            "url": a.get_absolute_url(),
            "author_id": a.author_id,
            "created_at": a.created_at,
        }
        for a in answers.select_related("question")
        .only("id", "author_id", "created_at", "question__id", "question__title", "question__slug")
        .order_by("-created_at", "-id")[:limit]
    ]
    return items


def members_helped_by(viewer: Viewer, member: Member, limit: int = 10) -> list[Member]:
    """Askers whose questions ``member`` answered with the accepted answer (questions the
    viewer may see), by name: the profile's "helped" line, in one query."""
    asked = perms.questions_visible_to(viewer).filter(accepted_answer__author=member)
    return list(
        Member.objects.only(*SHOWN_BESIDE_POSTS)
        .filter(pk__in=asked.values("author_id"), is_active=True)
        .exclude(pk=member.pk)
        .order_by("username")[:limit]
    )


def category_choices_for(viewer: Viewer) -> list[tuple[str, str]]:
    """The categories of the question lists' filter as (slug, name in the reader's language),
    kept under ``site``: Django's model choice field queried them at every render of a list.
    Data, like the counts and the rules: kept whatever the lifetime of pages (a list rendered
    with the page cache off asked for them each time)."""
    private = perms.can_see_private_categories(viewer)
    return remember(
        f"veche:category-choices:{get_language()}:{int(private)}",
        (SITE,),
        lambda: [(c.slug, c.name) for c in perms.categories_visible_to(viewer)],
        600,
    )
