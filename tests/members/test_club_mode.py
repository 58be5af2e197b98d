"""Club mode (issue 20, point 4): in a private community a sign-up is an application with
staff's questions; it waits in the moderation inbox with its own target age; the applicant
sees that it waits and gets an e-mail when it is approved or declined; staff can invite
directly; the settings live on a staff page."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from members.models import CommunitySettings, Member, MembershipApplication, MembershipInvitation
from members.selectors import community_settings_get
from moderation.models import QueueItem
from moderation.registry import QUEUES
from tests.factories import PASSWORD, MemberFactory, logged_in, sign_up

pytestmark = pytest.mark.django_db

QUESTIONS = "How do you use the product?\nWho told you about us?"
SETTINGS_URL = "/staff/community/"


@pytest.fixture
def club(db):
    CommunitySettings.objects.update_or_create(
        pk=1, defaults={"private": True, "application_questions": QUESTIONS}
    )
    cache.clear()  # as the staff settings page does (it touches the settings' scope)
    return community_settings_get()


def apply(client, **overrides):
    return sign_up(
        client,
        answer_0="Daily, for invoices.",
        answer_1="A colleague.",
        **overrides,
    )


def test_the_sign_up_form_of_a_private_community_asks_staffs_questions(client, club):
    html = client.get(reverse("account_signup")).content.decode()
    assert "How do you use the product?" in html and "Who told you about us?" in html
    response = sign_up(client, answer_0="", answer_1="")  # unanswered
    assert response.status_code == 200
    assert not Member.objects.filter(username="newbie").exists()


def test_an_applicant_sees_that_the_application_waits_and_cannot_log_in(client, club):
    response = apply(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:application")
    page = client.get(response["Location"]).content.decode()
    assert "Your application is waiting" in page
    member = Member.objects.get(username="newbie")
    assert not member.is_active
    application = MembershipApplication.objects.get(member=member)
    assert application.status == "pending"
    assert application.answers == [
        {"question": "How do you use the product?", "answer": "Daily, for invoices."},
        {"question": "Who told you about us?", "answer": "A colleague."},
    ]
    item = QueueItem.objects.get(queue="membership", resolved_at__isnull=True)
    assert item.member_id == member.pk and "Daily, for invoices." in item.reason
    # Logging in before the decision shows the same page, not the site.
    other = type(client)()
    response = other.post(reverse("account_login"), {"login": "newbie", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("members:application")
    assert "_auth_user_id" not in other.session
    assert "waiting" in other.get(reverse("members:application")).content.decode()


def test_applications_have_their_own_queue_and_target_age_in_the_inbox(club, client):
    apply(client)
    queue = QUEUES["membership"]
    assert queue.target_age.total_seconds() == 48 * 3600
    assert queue.target_age != QUEUES["approval"].target_age
    moderator = logged_in(MemberFactory(is_staff=True))
    html = moderator.get("/moderation/?queue=membership").content.decode()
    assert "Membership applications" in html and "Daily, for invoices." in html


def test_approving_an_application_lets_the_member_in_and_tells_them_by_e_mail(
    client, club, moderator, django_capture_on_commit_callbacks
):
    apply(client)
    item = QueueItem.objects.get(queue="membership")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(moderator).post(f"/moderation/items/{item.pk}/approve/")
    assert response.status_code == 302
    member = Member.objects.get(username="newbie")
    assert member.is_active
    assert MembershipApplication.objects.get(member=member).status == "approved"
    [message] = mail.outbox
    assert message.to == ["newbie@example.com"]
    assert "approved" in message.subject and "Log in here" in message.body
    assert Member.objects.get(username="newbie").check_password(PASSWORD)


def test_declining_an_application_keeps_the_door_closed_and_says_why(
    client, club, staff, django_capture_on_commit_callbacks
):
    apply(client)
    item = QueueItem.objects.get(queue="membership")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(staff).post(
            f"/moderation/items/{item.pk}/reject/", {"message": "We only admit customers."}
        )
    assert response.status_code == 302
    member = Member.objects.get(username="newbie")
    assert not member.is_active
    application = MembershipApplication.objects.get(member=member)
    assert application.status == "declined" and application.reason == "We only admit customers."
    [message] = mail.outbox
    assert "declined" in message.subject and "We only admit customers." in message.body
    page = client.get(reverse("members:application")).content.decode()
    assert "Your application was declined." in page and "We only admit customers." in page


def test_declining_without_a_reason_sends_an_e_mail_without_one(
    client, club, moderator, django_capture_on_commit_callbacks
):
    apply(client)
    item = QueueItem.objects.get(queue="membership")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(moderator).post(f"/moderation/items/{item.pk}/reject/")
    [message] = mail.outbox
    assert "declined" in message.subject and "The reason" not in message.body


def test_members_cannot_decide_applications(client, club, member):
    apply(client)
    item = QueueItem.objects.get(queue="membership")
    assert logged_in(member).post(f"/moderation/items/{item.pk}/approve/").status_code == 403
    assert not Member.objects.get(username="newbie").is_active


def test_a_public_community_asks_no_questions_and_lets_everyone_in(client):
    CommunitySettings.objects.update_or_create(pk=1, defaults={"application_questions": QUESTIONS})
    assert "How do you use" not in client.get(reverse("account_signup")).content.decode()
    sign_up(client)
    member = Member.objects.get(username="newbie")
    assert member.is_active and not MembershipApplication.objects.exists()


def test_staff_invite_someone_who_then_joins_without_applying(
    client, club, staff, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(staff).post(
            "/staff/community/invite/", {"email": "friend@example.com"}
        )
    assert response.status_code == 302
    invitation = MembershipInvitation.objects.get()
    [message] = mail.outbox
    assert message.to == ["friend@example.com"]
    link = f"/u/join/{invitation.token}/"
    assert link in message.body
    assert client.get(link).status_code == 302
    assert "How do you use" not in client.get(reverse("account_signup")).content.decode()
    sign_up(client, email="friend@example.com", username="friend")
    member = Member.objects.get(username="friend")
    assert member.is_active and not MembershipApplication.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_by == member
    # The link works once.
    assert type(client)().get(link).status_code == 404


def test_inviting_an_existing_member_or_a_bad_address_is_a_form_error(staff, member):
    staff_client = logged_in(staff)
    response = staff_client.post("/staff/community/invite/", {"email": member.email})
    assert response.status_code == 400 and "already a member" in response.content.decode()
    response = staff_client.post("/staff/community/invite/", {"email": "not an address"})
    assert response.status_code == 400
    assert not MembershipInvitation.objects.exists()


def test_staff_switch_private_mode_and_edit_the_questions_on_the_settings_page(staff, client):
    staff_client = logged_in(staff)
    page = staff_client.get(SETTINGS_URL)
    assert page.status_code == 200 and "Private community" in page.content.decode()
    response = staff_client.post(
        SETTINGS_URL,
        {
            "community_name": "Club",
            "tagline": "",
            "private": "on",
            "application_questions": QUESTIONS,
            "application_questions_ru": "",
        },
    )
    assert response.status_code == 302
    assert community_settings_get().private is True
    assert community_settings_get().questions() == QUESTIONS.splitlines()
    # At once, for everyone: visitors see the landing page, the sign-up asks the questions.
    assert "How do you use" in client.get(reverse("account_signup")).content.decode()
    assert client.get("/questions/").status_code == 302


def test_a_bad_settings_form_is_shown_again_with_its_errors(staff):
    response = logged_in(staff).post(SETTINGS_URL, {"community_name": "", "private": "on"})
    assert response.status_code == 400
    assert CommunitySettings.objects.filter(private=True).count() == 0


@pytest.mark.parametrize("who,status", [("visitor", 302), ("member", 403), ("moderator", 403)])
def test_only_staff_reach_the_settings_page(client, member, moderator, who, status):
    if who != "visitor":
        client.force_login(member if who == "member" else moderator)
    assert client.get(SETTINGS_URL).status_code == status
    assert client.post(SETTINGS_URL, {"community_name": "X", "private": "on"}).status_code == status
    invite = client.post("/staff/community/invite/", {"email": "x@example.com"})
    assert invite.status_code == status
    assert not CommunitySettings.objects.filter(private=True).exists()
    assert not MembershipInvitation.objects.exists()


def test_an_unknown_invitation_link_is_a_404(client, club):
    assert client.get("/u/join/nope/").status_code == 404


def test_the_application_page_without_an_application_says_nothing_personal(client):
    response = client.get(reverse("members:application"))
    assert response.status_code == 200 and "waiting" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_settings_page_query_count_does_not_grow(staff, rows, django_assert_max_num_queries):
    for n in range(rows):
        MembershipInvitation.objects.create(email=f"p{n}@example.com", token=f"t{n}")
    staff_client = logged_in(staff)
    staff_client.get(SETTINGS_URL)
    with django_assert_max_num_queries(12):
        assert staff_client.get(SETTINGS_URL).status_code == 200
