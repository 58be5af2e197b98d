"""What the summary e-mail shows of Q&A (``members.summary``): new questions and questions
solved since a moment, first in the tags and categories the member watches or tracks and in
their expertise, then the community's best; published posts the member may see only, not
their own, never from a topic they muted."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from members.models import Expertise, Member
from members.summary import SummaryItem
from members.watching import MARKED_LEVELS
from moderation.content import ModerationState

from ..models import Question, Tag, TopicWatch
from ..permissions import questions as perms
from .watching import question_list_unmuted


def _visible(member: Member) -> QuerySet[Question]:
    published = perms.questions_visible_to(member).filter(
        moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
    )
    return question_list_unmuted(published, member).exclude(author=member)


def _of_interest(member: Member) -> Q:
    topics = TopicWatch.objects.filter(member=member, level__in=MARKED_LEVELS).filter(
        Q(category_id=OuterRef("category_id")) | Q(tag__questions=OuterRef("pk"))
    )
    known = Tag.objects.filter(
        questions=OuterRef("pk"),
        slug__in=Expertise.objects.filter(member=member).values("tag_slug"),
    )
    return Q(Exists(topics)) | Q(Exists(known))


def _best(qs: QuerySet[Question], member: Member, limit: int) -> list[Question]:
    """Those of interest first, then the community's best: two queries at most."""
    ordered = qs.order_by("-score", "-answer_count", "-id").only(
        "pk", "title", "slug", "created_at"
    )
    picked = list(ordered.filter(_of_interest(member))[:limit])
    if len(picked) < limit:
        picked += list(ordered.exclude(pk__in=[q.pk for q in picked])[: limit - len(picked)])
    return picked


def summary_questions(member: Member, since: datetime, limit: int) -> list[SummaryItem]:
    new = _best(_visible(member).filter(created_at__gte=since), member, limit)
    solved = _best(
        _visible(member).filter(
            solved_at__gte=since,
            accepted_answer__in=perms.answers_visible_to(member).filter(
                moderation_state=ModerationState.PUBLISHED, deleted_at__isnull=True
            ),
        ),
        member,
        limit,
    )
    return [
        *(SummaryItem(kind="question", title=q.title, url=q.get_absolute_url()) for q in new),
        *(SummaryItem(kind="answer", title=q.title, url=q.get_absolute_url()) for q in solved),
    ]
