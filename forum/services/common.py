"""What the Q&A services share: reputation amounts, the moderation gate, the audit entry,
referral credit and row locks.

Moderation is called through its module (``moderation.content_screen``…), not through
names imported from it, so that tests can replace one of its functions.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from members.hooks import member_contributed
from members.models import Member
from moderation import services as moderation
from moderation.services import Screening

from ..models import Answer, Question
from ..permissions.questions import Post

REPUTATION_UP = 1
REPUTATION_DOWN = -1
REPUTATION_ACCEPTED = 5


def content_type(model_or_obj: type[Model] | Model) -> ContentType:
    return ContentType.objects.get_for_model(model_or_obj)


def screen(*, author: Member, text: str, kind: str) -> Screening:
    """The gate every posting service goes through: may the author post, and must the post
    be held for approval?"""
    moderation.check_can_post(author)
    return moderation.content_screen(author=author, text=text, kind=kind)


def hold(*, target: Post, author: Member, reasons: list[str]) -> None:
    moderation.content_held(target=target, author=author, reasons=reasons)


def audit(
    *, actor: Member, action: str, target: Post, reason: str = "", data: dict | None = None
) -> None:
    moderation.audit_log_write(
        actor=actor,
        action=action,
        target=target,
        member=getattr(target, "author", None),
        reason=reason,
        data=data or {},
    )


def credit_contribution(author: Member | None) -> None:
    if author is None:
        return
    member_contributed.send(sender=Member, member=author)


def lock_question(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def question_of(target: Question | Answer) -> Question:
    """The question a comment's target belongs to."""
    return target if isinstance(target, Question) else target.question
