"""With the Q&A app: the end-to-end journey posts a real answer over HTTP (acceptance 1) and
approval opens the ambassador-only category (acceptance 3)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ambassadors.models import Referral, ReferrerStats
from members.models import Member, Notification, OutboundEmail
from moderation.models import QueueItem
from tests.forum.factories import CategoryFactory, QuestionFactory

from .factories import give_qualified
from .helpers import link_from, referral_path, signup

pytestmark = pytest.mark.django_db


def test_referred_member_posting_an_answer_over_http_qualifies_the_referral_once(
    member, moderator, django_capture_on_commit_callbacks
):
    """A new member's first answers are held for review (VECHE_TRUST_NEW_HELD_POSTS), so the
    referral qualifies when a moderator approves the held answer in the inbox: approval
    publishes it, the forum's on_publish credits the contribution. Approving a second answer
    does not count the referral again."""
    from forum.models import Answer
    from moderation.content import ModerationState

    question = QuestionFactory(title="How do I export my invoices as CSV?")
    visitor = Client()
    assert "Invited by" in visitor.get(referral_path(member), follow=True).content.decode()
    signup(visitor, "newbie")
    newbie = Member.objects.get(username="newbie")
    visitor.post(link_from(mail.outbox[-1]))  # verify; logs the member in

    first_body = "Open Billing, then Invoices, and press Export as CSV."
    second_body = "Also: the export includes credit notes since version 4."
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            reverse("forum:answer-create", args=[question.pk]), {"body": first_body}
        )
        assert response.status_code == 302
        visitor.post(reverse("forum:answer-create", args=[question.pk]), {"body": second_body})
    answers = list(Answer.objects.filter(author=newbie).order_by("pk"))
    assert [a.moderation_state for a in answers] == [ModerationState.HELD] * 2
    referral = Referral.objects.get(referred=newbie)
    assert referral.status == Referral.Status.PENDING  # nothing published yet
    assert referral.first_contribution_at is None

    reviewer = Client()
    reviewer.force_login(moderator)
    inbox = reviewer.get(reverse("moderation:inbox")).content.decode()
    assert first_body in inbox and second_body in inbox
    items = [
        QueueItem.objects.get(queue="approval", target_id=a.pk, resolved_at__isnull=True)
        for a in answers
    ]
    with django_capture_on_commit_callbacks(execute=True):
        approved = reviewer.post(reverse("moderation:item-approve", args=[items[0].pk]))
    assert approved.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert referral.first_contribution_at is not None
    credited = (referral.first_contribution_at, referral.qualified_at)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(reverse("moderation:item-approve", args=[items[1].pk]))
    # Credited again, but the referral is already settled: nothing about it changes.
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert (referral.first_contribution_at, referral.qualified_at) == credited
    assert [a.moderation_state for a in Answer.objects.filter(author=newbie)] == [
        ModerationState.PUBLISHED
    ] * 2
    assert ReferrerStats.objects.get(member=member).qualified == 1
    assert Notification.objects.filter(recipient=member, kind="referral_qualified").count() == 1
    assert OutboundEmail.objects.filter(recipient=member, kind="referral_qualified").count() == 1


def test_approved_ambassador_enters_the_ambassador_only_category_others_get_403(
    member, other_member, staff
):
    lounge = CategoryFactory(name="Ambassador lounge", slug="lounge", ambassadors_only=True)
    give_qualified(member, 10)
    applicant = Client()
    applicant.force_login(member)
    assert applicant.get(lounge.get_absolute_url()).status_code == 403
    applicant.post(
        reverse("ambassadors:apply"),
        {"motivation": "I onboard new customers in my region every week."},
    )
    item = QueueItem.objects.get(queue="ambassador_applications", resolved_at__isnull=True)

    reviewer = Client()
    reviewer.force_login(staff)
    reviewer.post(reverse("ambassadors:staff-decide", args=[item.pk]), {"decision": "approve"})
    member.refresh_from_db()
    assert member.badge == Member.Badge.AMBASSADOR
    assert applicant.get(lounge.get_absolute_url()).status_code == 200

    outsider = Client()
    outsider.force_login(other_member)
    assert outsider.get(lounge.get_absolute_url()).status_code == 403
    assert Client().get(lounge.get_absolute_url()).status_code == 403
