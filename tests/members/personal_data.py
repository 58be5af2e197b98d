"""A demo member with rows in every app (and a bystander with rows of their own), for the
export and deletion tests."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ambassadors.models import AmbassadorApplication, Referral
from analytics.models import ReengagementLetter
from api.models import ApiToken
from forum.models import DeflectionFeedback, Follow, Revision
from forum.services.votes import vote_cast
from members.models import (
    ActivityDay,
    Bookmark,
    Expertise,
    Member,
    MemberFollow,
    MembershipApplication,
    Notification,
    OutboundEmail,
    ProductAccount,
)
from moderation.models import Appeal, Flag, PostFingerprint, RulesAcceptance, Sanction
from moderation.services import audit_log_write
from tests.ambassadors.factories import InvitationFactory, ReferralCodeFactory, ReferralFactory
from tests.factories import MemberFactory
from tests.forum.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.ideas.factories import IdeaFactory, follow, vote
from tests.moderation.factories import current_rule

IP = "203.0.113.77"
USER_AGENT = "AdaBrowser/9.1 (Analytical Engine)"


@dataclass
class Demo:
    member: Member
    other: Member
    # Texts only the member wrote or that name them: none may remain after deletion.
    secrets: tuple[str, ...]


def demo_member() -> Demo:
    member = MemberFactory(
        username="ada_lovelace",
        email="ada.lovelace@personal.example",
        display_name="Ada Lovelace",
        first_name="AugustaAda",
        last_name="KingNoel1815",
        bio="Poetical scientist from Marylebone",
        website="https://ada-lovelace.example/",
        preferred_language="en",
        last_login=timezone.now(),
    )
    other = MemberFactory(username="charles_b", display_name="Charles Babbage")
    rule = current_rule()
    member_type = ContentType.objects.get_for_model(Member)

    # members
    Expertise.objects.create(member=member, tag_slug="difference-engines")
    ActivityDay.objects.create(member=member, day=date.today() - timedelta(days=3))
    Notification.objects.create(recipient=member, kind="answer_posted", params={"title": "Q"})
    Notification.objects.create(recipient=other, kind="answer_posted", actor=member)
    OutboundEmail.objects.create(
        recipient=member, to=member.email, kind="welcome", subject="Hi", body="Hello Ada Lovelace"
    )
    ProductAccount.objects.create(member=member, external_id="product-ada-1815")
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "s"})
    UserSession.objects.create(
        user=member, session_key="ada-session-key-1", ip=IP, user_agent=USER_AGENT
    )
    MemberFollow.objects.create(follower=member, followed=other)
    MemberFollow.objects.create(follower=other, followed=member)
    MembershipApplication.objects.create(
        member=member, answers=[{"question": "Why?", "answer": "Ada's reasons to join"}]
    )
    ApiToken.objects.create(
        member=member,
        created_by=member,
        name="Ada's engine token",
        scopes=["read"],
        prefix="vch_ada",
        token_hash=hashlib.sha256(b"ada-token").hexdigest(),
    )

    # forum
    question = QuestionFactory(author=member, title="Can engines compose music, by Ada?")
    others_question = QuestionFactory(author=other)
    answer = AnswerFactory(question=others_question, author=member, body="Notes by Ada: yes.")
    others_answer = AnswerFactory(question=question, author=other)
    CommentFactory(author=member, target=others_question, body="Comment from Ada here")
    vote_cast(member=member, post=others_question, value=1)
    vote_cast(member=member, post=others_answer, value=-1)
    vote_cast(member=other, post=answer, value=1)
    Follow.objects.create(
        member=member,
        target_type=ContentType.objects.get_for_model(others_question),
        target_id=others_question.pk,
    )
    Revision.objects.create(
        target_type=ContentType.objects.get_for_model(question),
        target_id=question.pk,
        number=1,
        author=member,
        body="First draft of the question",
    )
    DeflectionFeedback.objects.create(
        question=others_question, member=member, session_key="ada-feedback-session", helpful=True
    )

    Bookmark.objects.create(
        member=member,
        target_type=ContentType.objects.get_for_model(others_question),
        target_id=others_question.pk,
        note="Bookmark note Ada kept",
    )

    # ideas
    idea = IdeaFactory(author=member, title="A loom for numbers")
    others_idea = IdeaFactory(author=other)
    vote(others_idea, member)
    vote(idea, other)
    follow(others_idea, member)

    # moderation
    RulesAcceptance.objects.create(member=member, version=rule.version)
    Flag.objects.create(
        flagger=member,
        target_type=ContentType.objects.get_for_model(others_answer),
        target_id=others_answer.pk,
        member=other,
        rule=rule,
        note="Flag note written by Ada",
    )
    Sanction.objects.create(member=member, kind=Sanction.Kind.WARN, rule=rule, reason="Be kind")
    decision = audit_log_write(actor=other, action="sanction_warn", target=member, member=member)
    Appeal.objects.create(member=member, decision=decision, text="Appeal text Ada wrote")
    PostFingerprint.objects.create(member=member, digest="ada-digest")

    # ambassadors
    ReferralCodeFactory(member=member, code="ADACODE1815")
    referral = ReferralFactory(referrer=other, referred=member, signup_ip_hash="ada-ip-hash")
    ReferralFactory(referrer=member, referred=MemberFactory())
    InvitationFactory(inviter=member, email="friend.of.ada@invited.example", note="Dear friend")
    AmbassadorApplication.objects.create(member=member, motivation="Ada's motivation letter")
    Notification.objects.create(
        recipient=other,
        kind="referral_qualified",
        params={"name": member.name},
        target_type=ContentType.objects.get_for_model(Referral),
        target_id=referral.pk,
    )

    # analytics
    ReengagementLetter.objects.create(
        member=member,
        period=date.today().replace(day=1),
        sent_on=date.today(),
        back_by=date.today() + timedelta(days=14),
    )
    assert member_type is not None
    secrets = (
        "ada_lovelace",
        "ada.lovelace@personal.example",
        "Ada Lovelace",
        "AugustaAda",
        "KingNoel1815",
        "Poetical scientist",
        "ada-lovelace.example",
        "product-ada-1815",
        IP,
        USER_AGENT,
        "ada-session-key-1",
        "ada-feedback-session",
        "friend.of.ada@invited.example",
        "Flag note written by Ada",
        "Appeal text Ada wrote",
        "ada-digest",
        "ADACODE1815",
        "ada-ip-hash",
        "Ada's motivation letter",
        "difference-engines",
        "Ada's reasons to join",
        "Ada's engine token",
        "Bookmark note Ada kept",
    )
    return Demo(member=member, other=other, secrets=secrets)
