"""Badges: awarded once on the events that earn them (accepted answers, FAQ promotion, shipped
ideas, qualified referrals), each award notified once; the nightly back-fill awards what the
events missed and nothing twice; the badges pages, the profile and the user card show them."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Referral
from ambassadors.services import referral_qualify
from forum.models import Answer, Question
from members import personal_data
from members.badges import CATALOGUE, TAG_EXPERT_ANSWERS
from members.models import Expertise, Member, MemberBadge, Notification
from members.services_badges import badge_award, badges_backfill
from members.tasks import badges_backfill_task
from tests.ambassadors.factories import QualifiedReferralFactory, ReferralFactory
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory
from tests.ideas.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def held(member: Member) -> set[tuple[str, str]]:
    return set(MemberBadge.objects.filter(member=member).values_list("badge", "tag"))


def badge_notifications(member: Member) -> list[dict]:
    return [n.params for n in Notification.objects.filter(recipient=member, kind="badge_awarded")]


def accepted(question: Question, answer: Answer) -> None:
    """Mark ``answer`` accepted without the event (history the back-fill finds)."""
    Answer.objects.filter(pk=answer.pk).update(is_accepted=True, accepted_at=timezone.now())
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)


def test_accepting_an_answer_awards_helper_and_scholar_once_each(member):
    client = logged_in(member)
    question = QuestionFactory(author=member)
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    assert client.post(reverse("forum:answer-accept", args=[first.pk])).status_code == 302
    assert held(first.author) == {("helper", "")}
    assert held(member) == {("scholar", "")}
    assert badge_notifications(first.author) == [{"badge": "helper", "tag": ""}]
    # another accepted answer later: the asker already holds "Scholar", no second notification
    client.post(reverse("forum:answer-accept", args=[second.pk]))
    client.post(reverse("forum:answer-accept", args=[first.pk]))
    assert held(member) == {("scholar", "")}
    assert len(badge_notifications(member)) == 1
    assert len(badge_notifications(first.author)) == 1
    assert held(second.author) == {("helper", "")}
    page = logged_in(first.author).get(reverse("members:notifications")).content.decode()
    assert "New badge: Helper" in page


def test_accepting_ones_own_answer_earns_nothing(member):
    question = QuestionFactory(author=member)
    own = AnswerFactory(question=question, author=member)
    logged_in(member).post(reverse("forum:answer-accept", args=[own.pk]))
    assert not MemberBadge.objects.exists()


def test_ten_accepted_answers_in_a_tag_make_a_tag_expert_in_that_tag_only(member):
    sso, billing = TagFactory(slug="sso"), TagFactory(slug="billing")
    expert = MemberFactory()
    for _ in range(TAG_EXPERT_ANSWERS - 1):
        question = QuestionFactory(tags=[sso])
        accepted(question, AnswerFactory(question=question, author=expert))
    last = QuestionFactory(author=member, tags=[sso, billing])
    answer = AnswerFactory(question=last, author=expert)
    logged_in(member).post(reverse("forum:answer-accept", args=[answer.pk]))
    assert ("tag-expert", "sso") in held(expert)
    assert ("tag-expert", "billing") not in held(expert)
    assert {"badge": "tag-expert", "tag": "sso"} in badge_notifications(expert)


def test_a_promoted_answer_makes_its_author_an_faq_author(staff_client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    accepted(question, answer)
    staff_client.post(reverse("forum:question-promote", args=[question.pk]))
    assert ("faq-author", "") in held(answer.author)


def test_a_shipped_idea_makes_its_author_a_visionary(staff_client):
    idea = IdeaFactory()
    url = reverse("ideas:idea-status", args=[idea.pk])
    staff_client.post(url, {"status": "planned", "note": "soon"})
    assert not held(idea.author)
    staff_client.post(url, {"status": "shipped", "note": "done"})
    assert held(idea.author) == {("visionary", "")}
    assert len(badge_notifications(idea.author)) == 1


def test_a_qualified_referral_makes_the_referrer_a_recruiter():
    referral = ReferralFactory(first_contribution_at=timezone.now())
    EmailAddress.objects.update_or_create(
        user=referral.referred,
        email=referral.referred.email,
        defaults={"verified": True, "primary": True},
    )
    assert referral_qualify(referral=referral)
    assert held(referral.referrer) == {("recruiter", "")}


def test_deleted_and_deactivated_accounts_earn_nothing():
    gone = MemberFactory(deleted_at=timezone.now(), is_active=False)
    assert not badge_award(member=gone, slug="helper")
    assert not MemberBadge.objects.exists()


def test_the_backfill_awards_history_once_and_a_second_run_nothing(
    django_capture_on_commit_callbacks,
):
    tag = TagFactory(slug="sso")
    expert, asker = MemberFactory(), MemberFactory()
    for _ in range(TAG_EXPERT_ANSWERS):
        question = QuestionFactory(author=asker, tags=[tag])
        accepted(question, AnswerFactory(question=question, author=expert))
    shipped = IdeaFactory(status="shipped")
    referral = QualifiedReferralFactory()
    ReferralFactory(status=Referral.Status.PENDING)  # not qualified: nothing
    # someone already holding one of them keeps a single row and notification
    badge_award(member=expert, slug="helper")

    assert badges_backfill_task() == 4  # scholar, tag-expert, visionary, recruiter
    assert held(expert) == {("helper", ""), ("tag-expert", "sso")}
    assert held(asker) == {("scholar", "")}
    assert held(shipped.author) == {("visionary", "")}
    assert held(referral.referrer) == {("recruiter", "")}
    notified = Notification.objects.filter(kind="badge_awarded").count()
    assert notified == 5

    assert badges_backfill() == 0
    assert MemberBadge.objects.count() == 5
    assert Notification.objects.filter(kind="badge_awarded").count() == notified


def test_the_badges_page_lists_the_catalogue_with_holder_counts(client):
    holders = [MemberFactory() for _ in range(3)]
    for member in holders:
        badge_award(member=member, slug="helper")
    banned = MemberFactory(banned_at=timezone.now())
    MemberBadge.objects.create(member=banned, badge="helper")
    html = client.get(reverse("members:badges")).content.decode()
    for spec in CATALOGUE.values():
        assert str(spec.name) in html and str(spec.description) in html
    assert "3 members have earned it" in html  # the banned holder is not counted
    assert "0 members have earned it" in html
    assert "Earned once in each tag." in html


def test_a_badge_page_lists_its_holders_with_avatars(client):
    holder = MemberFactory(display_name="Grace Hopper")
    badge_award(member=holder, slug="tag-expert", tag="sso")
    hidden = MemberFactory(display_name="Banned Person", banned_at=timezone.now())
    MemberBadge.objects.create(member=hidden, badge="tag-expert", tag="sso")
    response = client.get(reverse("members:badge", args=["tag-expert"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Grace Hopper" in html and "Banned Person" not in html
    assert 'aria-label="Grace Hopper">G</span>' in html
    assert '<span class="tag">sso</span>' in html
    assert client.get(reverse("members:badge", args=["no-such-badge"])).status_code == 404
    assert client.get(reverse("members:badge", args=["helper"]), {"page": "x"}).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_badge_pages_run_a_constant_number_of_queries(
    client, no_page_cache, django_assert_num_queries, count
):
    for _ in range(count):
        member = MemberFactory()
        badge_award(member=member, slug="helper")
        badge_award(member=member, slug="scholar")
    client.get("/")  # warm the settings cache
    with django_assert_num_queries(1):  # the holder counts
        assert client.get(reverse("members:badges")).status_code == 200
    with django_assert_num_queries(2):  # the paginator count, the page of holders (+member)
        assert client.get(reverse("members:badge", args=["helper"])).status_code == 200


def test_the_profile_lists_the_members_badges(client, member):
    badge_award(member=member, slug="visionary")
    badge_award(member=member, slug="helper")
    html = client.get(member.get_absolute_url()).content.decode()
    assert "Badges" in html
    assert html.index(">Visionary<") < html.index(">Helper<")  # gold first
    assert reverse("members:badge", args=["visionary"]) in html


def test_badges_are_in_the_data_export_and_go_with_the_account(member):
    badge_award(member=member, slug="helper")
    rows = personal_data.SOURCES["members.badges"].export(member)
    assert [(r["badge"], r["tag"]) for r in rows] == [("helper", "")]


# --- the user card ----------------------------------------------------------------------


def test_the_user_card_shows_name_badges_expertise_reputation_and_joined(client):
    member = MemberFactory(display_name="Ada Lovelace", reputation=42, badge="ambassador")
    Expertise.objects.create(member=member, tag_slug="engines")
    badge_award(member=member, slug="helper")
    response = client.get(reverse("members:card", args=[member.username]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment
    assert "Ada Lovelace" in html and f"@{member.username}" in html
    assert "Ambassador" in html and ">Helper<" in html
    assert "engines" in html and "<strong>42</strong>" in html
    assert "Joined" in html


def test_the_user_card_respects_who_may_see_the_member(client, moderator):
    banned = MemberFactory(banned_at=timezone.now())
    gone = MemberFactory(deleted_at=timezone.now())
    inactive = MemberFactory(is_active=False)
    for member in (banned, gone, inactive):
        assert client.get(reverse("members:card", args=[member.username])).status_code == 404
    as_moderator = logged_in(moderator)
    assert as_moderator.get(reverse("members:card", args=[banned.username])).status_code == 200
    assert as_moderator.get(reverse("members:card", args=[gone.username])).status_code == 404
    assert Client().get(reverse("members:card", args=["nobody-here"])).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_the_user_card_runs_a_constant_number_of_queries(
    client, no_page_cache, django_assert_num_queries, count
):
    member = MemberFactory()
    for i in range(count):
        Expertise.objects.create(member=member, tag_slug=f"tag{i}")
        MemberBadge.objects.create(member=member, badge="tag-expert", tag=f"tag{i}")
    client.get("/")
    with django_assert_num_queries(3):  # the member, their expertise, their badges
        assert client.get(reverse("members:card", args=[member.username])).status_code == 200
