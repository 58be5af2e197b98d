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
    member, django_capture_on_commit_callbacks
):
    question = QuestionFactory(title="How do I export my invoices as CSV?")
    visitor = Client()
    assert "Invited by" in visitor.get(referral_path(member), follow=True).content.decode()
    signup(visitor, "newbie")
    newbie = Member.objects.get(username="newbie")
    visitor.post(link_from(mail.outbox[-1]))  # verify; logs the member in

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            reverse("forum:answer-create", args=[question.pk]),
            {"body": "Open Billing, then Invoices, and press Export as CSV."},
        )
        assert response.status_code == 302
        visitor.post(
            reverse("forum:answer-create", args=[question.pk]),
            {"body": "Also: the export includes credit notes since version 4."},
        )
    referral = Referral.objects.get(referred=newbie)
    assert referral.status == Referral.Status.QUALIFIED
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
    applicant.post(reverse("ambassadors:apply"),
                   {"motivation": "I onboard new customers in my region every week."})
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
