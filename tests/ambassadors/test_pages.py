"""The program page, the dashboard and the leaderboard: what each role sees, and a constant
number of queries (acceptance 6)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambassadors.models import Perk, ReferralClick, ReferrerStats
from tests.factories import MemberFactory

from .factories import InvitationFactory, QualifiedReferralFactory, ReferralFactory, give_qualified
from .helpers import referral_path

pytestmark = pytest.mark.django_db


def test_visitors_see_how_it_works_tiers_perks_and_terms(client):
    Perk.objects.create(title="Early access to betas", description="Try features first.")
    Perk.objects.create(title="Hidden perk", active=False)
    page = client.get(reverse("ambassadors:program")).content.decode()
    assert "How it works" in page and "3 qualified referrals" in page
    assert "10 qualified referrals" in page
    assert "Early access to betas" in page and "Hidden perk" not in page
    assert 'href="/pages/ambassador-terms/"' in page
    assert "Your referrals" not in page


def test_a_member_sees_their_link_numbers_and_progress(member_client, member):
    give_qualified(member, 2)
    ReferrerStats.objects.filter(member=member).update(clicks=7, signups=4)
    page = member_client.get(reverse("ambassadors:program")).content.decode()
    assert "Your referrals" in page
    assert referral_path(member) in page
    assert 'data-stat="clicks">7<' in page and 'data-stat="qualified">2<' in page
    assert "2 of 3 qualified referrals to the next tier" in page
    assert '<progress class="progress" max="3" value="2">66%</progress>' in page


def test_regenerating_the_link_invalidates_the_old_one(member_client, member, client):
    old = referral_path(member)
    assert member_client.post(reverse("ambassadors:code-regenerate")).status_code == 302
    new = referral_path(member)
    assert old != new
    member_client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 302


def test_clicks_are_counted_once_per_visitor_per_day(client, member):
    """A visitor is an address: changing the User-Agent does not make a new one (issue 15,
    row 15: 20 visits with 20 agents counted 20)."""
    path = referral_path(member)
    for agent in [f"Agent {i}" for i in range(20)]:
        client.get(path, HTTP_USER_AGENT=agent, REMOTE_ADDR="203.0.113.7")
    client.get(path, HTTP_USER_AGENT="Agent 0", REMOTE_ADDR="198.51.100.2")
    assert ReferralClick.objects.filter(referrer=member).count() == 2
    assert ReferrerStats.objects.get(member=member).clicks == 2
    assert all(len(v) == 64 for v in ReferralClick.objects.values_list("visitor", flat=True))


def test_a_signed_in_member_following_a_link_is_not_counted(member_client, other_member):
    member_client.get(referral_path(other_member))
    assert not ReferralClick.objects.exists()


def _fill_dashboard(member, n):
    for _ in range(n):
        InvitationFactory(inviter=member)
        ReferralFactory(referrer=member)
        QualifiedReferralFactory(referrer=member, referred=MemberFactory(badge="advocate"))


@pytest.mark.parametrize("rows", [1, 8])
def test_dashboard_runs_a_constant_number_of_queries(
    member_client, member, rows, django_assert_num_queries
):
    from ambassadors.services import referral_code_ensure

    referral_code_ensure(member=member)
    _fill_dashboard(member, rows)
    member_client.get(reverse("ambassadors:program"))  # first visit of the day records activity
    # member, perks, code, stats, invitations, referrals+members, application (the session
    # and the header's moderator-group check now come from the cache)
    with django_assert_num_queries(7):
        response = member_client.get(reverse("ambassadors:program"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_leaderboard_runs_a_constant_number_of_queries(client, rows, django_assert_num_queries):
    for n in range(rows):
        give_qualified(MemberFactory(badge="ambassador" if n % 2 else ""), n + 1)
    client.get(reverse("ambassadors:leaderboard"))  # caches the community settings
    # the stats rows with their members
    with django_assert_num_queries(1):
        response = client.get(reverse("ambassadors:leaderboard"))
    page = response.content.decode()
    assert page.count('class="member"') == rows


def test_leaderboard_orders_by_qualified_referrals_and_hides_the_banned(client):
    from django.utils import timezone

    top, second, banned = MemberFactory(), MemberFactory(), MemberFactory(banned_at=timezone.now())
    give_qualified(top, 5)
    give_qualified(second, 2)
    give_qualified(banned, 9)
    page = client.get(reverse("ambassadors:leaderboard")).content.decode()
    assert page.index(top.name) < page.index(second.name)
    assert banned.name not in page


@pytest.mark.parametrize("rows", [1, 6])
def test_staff_review_page_runs_a_constant_number_of_queries(
    staff_client, rows, django_assert_num_queries
):
    from ambassadors.models import AmbassadorApplication
    from ambassadors.services.referrals import _queue_suspicious
    from moderation.services import queue_item_add

    for _ in range(rows):
        referral = ReferralFactory(status="suspicious", reason="burst")
        _queue_suspicious(referral)
        applicant = MemberFactory()
        application = AmbassadorApplication.objects.create(member=applicant, motivation="m" * 30)
        queue_item_add(queue="ambassador_applications", target=application, member=applicant)
        MemberFactory(badge="ambassador")
    staff_client.get(reverse("ambassadors:staff-review"))
    # staff, 2 × (items, targets), ambassadors (the session now comes from the cache)
    with django_assert_num_queries(6):
        response = staff_client.get(reverse("ambassadors:staff-review"))
    assert response.content.decode().count("Approve</button>") == 2 * rows


def test_sign_up_page_without_a_referral_shows_no_invitation(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "Invited by" not in page and 'name="accept_rules"' in page


@pytest.mark.parametrize("role", ["anonymous", "member", "moderator", "staff"])
def test_every_role_can_open_the_program_and_leaderboard(client, role, member, moderator, staff):
    user = {"member": member, "moderator": moderator, "staff": staff}.get(role)
    if user:
        client.force_login(user)
    page = client.get(reverse("ambassadors:program"))
    assert page.status_code == 200
    body = page.content.decode()
    assert ("Your referrals" in body) is (user is not None)
    assert ("Staff review" in body) is (role == "staff")
    assert client.get(reverse("ambassadors:leaderboard")).status_code == 200


@pytest.mark.parametrize("rows", [0, 5])
def test_program_page_for_visitors_runs_a_constant_number_of_queries(
    client, rows, django_assert_num_queries
):
    for n in range(rows):
        Perk.objects.create(title=f"Perk {n}")
    client.get(reverse("ambassadors:program"))
    with django_assert_num_queries(1):  # the perks
        client.get(reverse("ambassadors:program"))


@given(code=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s))
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_unknown_referral_code_or_token_is_a_404_never_a_500(client, code):
    from urllib.parse import quote

    # A NUL byte is refused before any view with the 400 page (config.http).
    nul = {400} if "\x00" in code else set()
    assert client.get(f"/r/{quote(code, safe='')}/").status_code in {404, 301} | nul
    assert (
        client.get(f"/ambassadors/invitations/{quote(code, safe='')}/").status_code
        in {
            404,
            301,
            405,
        }
        | nul
    )
