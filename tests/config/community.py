"""The small demo community the site-wide browser checks (tests/config/test_browser_*.py)
visit: every kind of page filled, as real pages are."""

from django.core.management import call_command

from ambassadors.services import referral_code_ensure
from forum.models import Question
from ideas.models import Idea
from members.models import Member
from moderation.models import QueueItem
from tests.ambassadors.factories import give_qualified
from tests.factories import PASSWORD, MemberFactory
from tests.forum.factories import AnswerFactory
from tests.moderation.factories import current_rule

SMALL_COMMUNITY = {
    "members": 30, "questions": 40, "answers": 100, "comments": 60, "votes": 200, "ideas": 10,
    "idea_votes": 80, "idea_comments": 15, "activity_days": 300, "flags": 12, "referrals": 15,
    "faq": 6, "history_days": 30,
}  # fmt: skip
LONG_LINK = "https://docs.example.com/" + "exports-and-reports-" * 12


def seed_small_community() -> dict[str, str]:
    """``seed_demo`` at a small size (flags, held posts, rollups…), the demo accounts admin,
    moderator and member with the password ``log_in`` types, an ambassador, and an answer
    with a long unbroken link. Returns the addresses of a question with answers and an idea."""
    current_rule(1)  # the rules a flag names (a transactional test's flush removes them)
    current_rule(2)
    call_command("seed_demo", quiet=True, **SMALL_COMMUNITY)
    for member in Member.objects.filter(username__in=["admin", "moderator", "member"]):
        member.set_password(PASSWORD)
        member.save(update_fields=["password"])
    question = (
        Question.objects.filter(answer_count__gte=2, closed_at__isnull=True, deleted_at=None)
        .order_by("pk")
        .first()
    )
    assert question is not None
    AnswerFactory(question=question, body=f"The whole list is at {LONG_LINK} (see the table).")
    ambassador = MemberFactory(username="ambassador", badge=Member.Badge.AMBASSADOR)
    referral_code_ensure(member=ambassador)
    give_qualified(ambassador, 12)
    assert QueueItem.objects.exists()  # the moderator's inbox has items
    idea = Idea.objects.order_by("-vote_count", "pk").first()
    assert idea is not None
    return {"question": question.get_absolute_url(), "idea": idea.get_absolute_url()}
