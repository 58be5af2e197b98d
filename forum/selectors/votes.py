"""Votes on questions and answers."""

from django.db.models import QuerySet

from members.models import Member

from ..models import Answer, AnswerVote, Question, QuestionVote


def vote_get_value(*, member: Member, post: Question | Answer) -> int:
    """The member's vote on the post: 1, -1, or 0 when none."""
    qs: QuerySet[QuestionVote] | QuerySet[AnswerVote]
    if isinstance(post, Question):
        qs = QuestionVote.objects.filter(question=post, member=member)
    else:
        qs = AnswerVote.objects.filter(answer=post, member=member)
    return qs.values_list("value", flat=True).first() or 0
