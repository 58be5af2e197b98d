"""Votes on questions and answers, and the reputation they move."""

from django.db import IntegrityError, transaction
from django.db.models import F

from members.models import Member

from ..models import Answer, AnswerVote, Question, QuestionVote, ReputationEvent
from ..permissions import questions as perms
from .common import REPUTATION_DOWN, REPUTATION_UP


def vote_cast(*, member: Member, post: Question | Answer, value: int) -> int:
    """Set the member's vote on a question or answer to +1, -1 or 0 (withdrawn). Score and the
    author's reputation move by the difference, with F() updates, so concurrent votes add up;
    the unique constraint makes a double vote count once. Returns the new score.

    Votes of new members (trust level New: accounts made minutes ago included) count in the
    score but never move reputation, so a burst of fresh accounts cannot inflate someone's
    reputation and the trust level it earns; the vote remembers that when it is changed or
    withdrawn later (issue 15)."""
    if value not in (1, -1, 0):
        raise ValueError("vote value must be 1, -1 or 0")
    if value != 0:
        perms.check_can_vote(member, post, value)
    elif not getattr(member, "is_authenticated", False):
        perms.check_can_vote(member, post, value)
    is_question = isinstance(post, Question)
    vote_model = QuestionVote if is_question else AnswerVote
    key = "question" if is_question else "answer"
    with transaction.atomic():
        existing = (
            vote_model.objects.select_for_update().filter(**{key: post, "member": member}).first()
        )
        if existing is None and value != 0:
            try:
                with transaction.atomic():
                    vote_model.objects.create(
                        **{key: post, "member": member, "value": value},
                        moves_reputation=_moves_reputation(member),
                    )
                old = 0
            except IntegrityError:  # a concurrent request of the same member won
                existing = vote_model.objects.select_for_update().get(
                    **{key: post, "member": member}
                )
        if existing is not None:
            old = existing.value
            if value == 0:
                existing.delete()
            elif value != old:
                existing.value = value
                existing.save(update_fields=["value"])
        elif value == 0:
            old = 0
        delta = value - old
        if delta:
            type(post).objects.filter(pk=post.pk).update(score=F("score") + delta)
            moves = existing.moves_reputation if existing is not None else _moves_reputation(member)
            rep = _vote_reputation(value) - _vote_reputation(old) if moves else 0
            if rep and post.author_id:
                Member.objects.filter(pk=post.author_id).update(reputation=F("reputation") + rep)
                ReputationEvent.objects.create(
                    member_id=post.author_id,
                    delta=rep,
                    reason=ReputationEvent.Reason.QUESTION_VOTE
                    if is_question
                    else ReputationEvent.Reason.ANSWER_VOTE,
                    question=post if isinstance(post, Question) else None,
                    answer=post if isinstance(post, Answer) else None,
                )
        return type(post).objects.values_list("score", flat=True).get(pk=post.pk)


def _moves_reputation(voter: Member) -> bool:
    return voter.trust_level > Member.TrustLevel.NEW


def _vote_reputation(value: int) -> int:
    return {1: REPUTATION_UP, -1: REPUTATION_DOWN}.get(value, 0)
