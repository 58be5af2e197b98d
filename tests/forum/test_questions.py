import json

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Referral
from forum.models import Follow, Question, Tag
from moderation import services as moderation
from moderation.content import ModerationState
from moderation.models import QueueItem
from tests.ambassadors.factories import ReferralFactory
from tests.factories import MemberFactory, logged_in
from tests.forum.factories import AnswerFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

ASK = {
    "title": "How do I change the invoice address?",
    "body": "Where is the setting for the **invoice** address?",
    "category": "billing",
    "tags": "Billing, invoices",
}


def test_member_asks_a_question_and_follows_it(member_client, member, category):
    referral = ReferralFactory(referred=member)
    response = member_client.post(reverse("forum:question-ask"), ASK)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.author == member and question.is_published
    assert "<strong>invoice</strong>" in question.body_html
    assert sorted(t.slug for t in question.tags.all()) == ["billing", "invoices"]
    assert Tag.objects.get(slug="billing").question_count == 1
    assert Follow.objects.filter(member=member, target_id=question.pk).exists()
    # The published question is the referred member's first contribution: the referral
    # qualifies (the member's e-mail is verified).
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED
    assert referral.first_contribution_at and referral.qualified_at
    assert referral.referrer.notifications.filter(kind="referral_qualified").count() == 1
    page = member_client.get(question.get_absolute_url())
    assert "How do I change the invoice address?" in page.content.decode()


def test_anonymous_visitor_is_sent_to_login_and_nothing_is_stored(client, category):
    response = client.post(reverse("forum:question-ask"), ASK)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Question.objects.exists()


def test_invalid_question_shows_errors(member_client, category):
    response = member_client.post(reverse("forum:question-ask"), {**ASK, "title": "short"})
    assert response.status_code == 400
    assert "Ensure this value has at least 10 characters" in response.content.decode()
    assert not Question.objects.exists()


def test_too_many_tags_is_a_form_error(member_client, category):
    response = member_client.post(reverse("forum:question-ask"), {**ASK, "tags": "a,b,c,d,e,f"})
    assert response.status_code == 400
    assert "At most five tags." in response.content.decode()


def test_silenced_member_cannot_ask(member_client, member, category):
    member.silenced_until = timezone.now() + timezone.timedelta(days=1)
    member.save()
    response = member_client.post(reverse("forum:question-ask"), ASK)
    assert response.status_code == 403
    assert not Question.objects.exists()


def test_held_question_is_visible_only_to_its_author_and_moderators(
    client, new_member, other_member, moderator, category
):
    """A new member's first posts wait for approval (moderation's real screening)."""
    referral = ReferralFactory(referred=new_member)
    client.force_login(new_member)
    client.post(reverse("forum:question-ask"), ASK)
    question = Question.objects.get()
    assert question.moderation_state == ModerationState.HELD
    item = QueueItem.objects.get()
    assert (item.queue, item.target, item.member) == ("approval", question, new_member)
    assert item.is_open and "First posts of a new member are reviewed." in item.reason
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING  # credited only once published
    assert referral.first_contribution_at is None
    own = client.get(question.get_absolute_url())
    assert own.status_code == 200 and "awaiting approval" in own.content.decode()
    assert question.title in client.get(reverse("forum:question-list")).content.decode()
    client.force_login(other_member)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.title not in client.get(reverse("forum:question-list")).content.decode()
    client.logout()
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    assert client.get(question.get_absolute_url()).status_code == 200


def test_approving_a_held_answer_runs_the_publishing_effects(
    client, member, new_member, moderator, category
):
    referral = ReferralFactory(referred=new_member)
    question = QuestionFactory(author=member, category=category)
    Follow.objects.create(member=member, target=question)
    client.force_login(new_member)
    client.post(
        reverse("forum:answer-create", args=[question.pk]),
        {"body": "Try the billing settings page."},
    )
    answer = question.answers.get()
    assert answer.moderation_state == ModerationState.HELD
    item = QueueItem.objects.get(queue="approval", resolved_at__isnull=True)
    assert (item.target, item.member) == (answer, new_member)
    question.refresh_from_db()
    assert question.answer_count == 0
    assert not member.notifications.exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING
    # A moderator approves it in the inbox:
    moderation.queue_item_approve(actor=moderator, item=item)
    answer.refresh_from_db()
    assert answer.moderation_state == ModerationState.PUBLISHED
    item.refresh_from_db()
    assert item.resolution == QueueItem.Resolution.APPROVED and item.resolved_by == moderator
    question.refresh_from_db()
    assert question.answer_count == 1
    assert member.notifications.filter(kind="answer_new").count() == 1
    referral.refresh_from_db()
    assert referral.status == Referral.Status.QUALIFIED  # credited once, on approval
    assert referral.first_contribution_at is not None
    assert referral.referrer.notifications.filter(kind="referral_qualified").count() == 1


def test_question_list_sorts_and_filters(client, category):
    solved = QuestionFactory(title="Solved question about exports", category=category, score=1)
    answer = AnswerFactory(question=solved)
    Question.objects.filter(pk=solved.pk).update(accepted_answer=answer, answer_count=1)
    unanswered = QuestionFactory(
        title="Unanswered question about imports", category=category, score=5
    )
    url = reverse("forum:question-list")
    body = client.get(url, {"status": "unanswered"}).content.decode()
    assert unanswered.title in body and solved.title not in body
    body = client.get(url, {"status": "solved"}).content.decode()
    assert solved.title in body and unanswered.title not in body
    body = client.get(url, {"sort": "votes"}).content.decode()
    assert body.index(unanswered.title) < body.index(solved.title)
    assert client.get(url, {"category": "nope", "sort": "bogus"}).status_code == 200


def test_needs_staff_reply_filter(client, category, staff):
    old = QuestionFactory(
        title="Old question nobody from staff answered",
        created_at=timezone.now() - timezone.timedelta(days=5),
    )
    answered = QuestionFactory(
        title="Old question answered by staff",
        created_at=timezone.now() - timezone.timedelta(days=5),
        official_answered_at=timezone.now(),
    )
    fresh = QuestionFactory(title="A brand new question from today")
    body = client.get(reverse("forum:question-list"), {"status": "needs-staff"}).content.decode()
    assert old.title in body
    assert answered.title not in body and fresh.title not in body


def test_tag_and_category_pages(client, category):
    tag = Tag.objects.create(name="Exports", slug="exports")
    tagged = QuestionFactory(title="Tagged question about exports", tags=[tag])
    other = QuestionFactory(title="Other question in billing", category=category)
    body = client.get(reverse("forum:tag", args=["exports"])).content.decode()
    assert tagged.title in body and other.title not in body
    body = client.get(category.get_absolute_url()).content.decode()
    assert other.title in body and tagged.title not in body
    assert client.get(reverse("forum:tag", args=["missing"])).status_code == 404


def test_wrong_slug_redirects_to_the_canonical_url(client):
    question = QuestionFactory()
    response = client.get(reverse("forum:question-detail", args=[question.pk, "wrong"]))
    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()
    assert client.get("/questions/999999/x/").status_code == 404


def test_member_follows_and_unfollows_a_question(member_client, member):
    question = QuestionFactory()
    url = reverse("forum:question-follow", args=[question.pk])
    member_client.post(url)
    member_client.post(url)
    question.refresh_from_db()
    assert question.follower_count == 1
    member_client.post(reverse("forum:question-unfollow", args=[question.pk]))
    question.refresh_from_db()
    assert question.follower_count == 0
    assert not Follow.objects.filter(member=member).exists()


def test_anonymous_cannot_follow(client):
    question = QuestionFactory()
    response = client.post(reverse("forum:question-follow", args=[question.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Follow.objects.exists()


def test_experts_in_the_tags_are_suggested(client):
    from members.models import Expertise

    tag = Tag.objects.create(name="SSO", slug="sso")
    question = QuestionFactory(tags=[tag])
    expert = MemberFactory(display_name="Erin Expert")
    Expertise.objects.create(member=expert, tag_slug="sso")
    body = client.get(question.get_absolute_url()).content.decode()
    assert "Members who could answer" in body and "Erin Expert" in body


def test_members_get_the_experts_with_the_shared_render_of_the_question(db):
    """ "Members who could answer" is kept in the members' shared render: a second member's
    page asks for no experts at all, and shows the same ones."""
    from unittest import mock

    from forum.selectors import questions as question_selectors
    from members.models import Expertise

    tag = Tag.objects.create(name="SSO", slug="sso")
    question = QuestionFactory(tags=[tag])
    expert = MemberFactory(display_name="Erin Expert")
    Expertise.objects.create(member=expert, tag_slug="sso")
    alice, bob = logged_in(MemberFactory()), logged_in(MemberFactory())  # a new name: ``site``
    first = alice.get(question.get_absolute_url()).content.decode()
    asked = mock.patch.object(
        question_selectors, "question_experts", wraps=question_selectors.question_experts
    )
    with asked as spy:
        second = bob.get(question.get_absolute_url()).content.decode()
    assert spy.call_count == 0
    for body in (first, second):
        assert "Members who could answer" in body and "Erin Expert" in body


def test_question_page_has_qapage_structured_data(client):
    title = "Why </script><script>alert(1)</script> fails? A & B <!-- ошибка -->"
    question = QuestionFactory(title=title)
    answer = AnswerFactory(question=question, body="Because of the cache.")
    Question.objects.filter(pk=question.pk).update(accepted_answer=answer)
    answer.is_accepted = True
    answer.save()
    body = client.get(question.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in body
    assert '"@type": "QAPage"' in body and '"acceptedAnswer"' in body
    assert "<script>alert(1)" not in body
    assert "\\u003C/script\\u003E" in body
    # Nothing but the three characters escaped: the data reads back as written.
    data = body.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert not {"<", ">", "&"} & set(data)
    assert json.loads(data)["mainEntity"]["name"] == title
    accepted = json.loads(data)["mainEntity"]["acceptedAnswer"]
    assert accepted["url"] == f"http://testserver{answer.get_absolute_url()}"


def test_view_count_grows(client):
    question = QuestionFactory()
    client.get(question.get_absolute_url())
    client.get(question.get_absolute_url())
    question.refresh_from_db()
    assert question.view_count == 2


def test_russian_titles_get_readable_urls(member_client, category):
    member_client.post(
        reverse("forum:question-ask"),
        {
            "title": "Ошибка при оплате картой",
            "body": "Появляется ошибка при оплате.",
            "category": "billing",
        },
    )
    question = Question.objects.get()
    assert question.slug == "ошибка-при-оплате-картой"
    assert member_client.get(question.get_absolute_url()).status_code == 200
    Question.objects.filter(pk=question.pk).update(slug="")
    question.refresh_from_db()
    assert member_client.get(question.get_absolute_url()).status_code == 200


def test_experts_are_kept_per_set_of_tags_and_leave_out_each_questions_own_people(
    django_assert_max_num_queries,
):
    """One list per set of tags, in the cache, for every question with those tags; each
    question leaves out its asker and answerers, and asks the database itself only when they
    leave too few of a full list."""
    from forum.selectors.questions import EXPERTS_KEPT, EXPERTS_SHOWN, question_experts
    from members.models import Expertise
    from members.services import expert_ranks_refresh

    tag = TagFactory(slug="sso")
    experts = [MemberFactory(reputation=100 - i) for i in range(EXPERTS_KEPT + 3)]
    Expertise.objects.bulk_create(Expertise(member=m, tag_slug="sso") for m in experts)
    expert_ranks_refresh()  # a bulk insert sends no signal: beat's refresh ranks them
    first = QuestionFactory(tags=[tag], author=experts[0])
    second = QuestionFactory(tags=[tag])
    AnswerFactory(question=second, author=experts[1])
    first_experts = question_experts(first, [])
    assert first_experts == experts[1 : EXPERTS_SHOWN + 1]
    second_answers = list(second.answers.all())
    with django_assert_max_num_queries(1):  # the tags; the experts come from the cache
        assert question_experts(second, second_answers) == [experts[0], *experts[2:6]]
    # The asker and answerers take up all but a few of the kept list: the database answers.
    crowded = QuestionFactory(tags=[tag], author=experts[2])
    answers = [AnswerFactory(question=crowded, author=m) for m in experts[3:EXPERTS_KEPT]]
    found = question_experts(crowded, answers)
    assert found == [experts[0], experts[1], *experts[EXPERTS_KEPT : EXPERTS_KEPT + 3]]


def test_experts_of_a_question_are_read_with_its_tags_in_one_query(
    django_assert_num_queries, settings
):
    """The kept list is read by one compiled query that finds the question's tags itself: the
    same members, in the same order, as a list of the tags' slugs finds; banned, inactive and
    other tags' experts left out."""
    from forum.selectors.questions import EXPERTS_KEPT, _experts_kept
    from members.models import Expertise
    from members.selectors import member_list_experts
    from members.services import expert_ranks_refresh

    settings.VECHE_PAGE_CACHE_SECONDS = 0
    sso, billing, other = TagFactory(slug="sso"), TagFactory(slug="billing"), TagFactory()
    members = [MemberFactory(reputation=(i * 37) % 23) for i in range(EXPERTS_KEPT + 6)]
    MemberFactory.create_batch(2)  # no expertise
    members[0].is_active = False
    members[1].banned_at = timezone.now()
    for member in members[:2]:
        member.save()
    slugs = ["sso", "billing", other.slug]
    Expertise.objects.bulk_create(
        Expertise(member=m, tag_slug=slugs[i % 3]) for i, m in enumerate(members)
    )
    Expertise.objects.create(member=members[5], tag_slug="billing")  # in both tags: once
    expert_ranks_refresh()  # a bulk insert sends no signal: beat's refresh ranks them
    question = QuestionFactory(tags=[sso, billing])
    with django_assert_num_queries(1):
        found = _experts_kept(question.pk)
    assert found == member_list_experts(["billing", "sso"], limit=EXPERTS_KEPT)
    assert len(found) == len(set(found)) and members[5] in found
    assert not {members[0], members[1]} & set(found)
    assert all(m.expertise.filter(tag_slug__in=["sso", "billing"]).exists() for m in found)
    assert _experts_kept(QuestionFactory(tags=[]).pk) == []
