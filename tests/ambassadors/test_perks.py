"""Perks that exist (issue 20, point 5): a catalogue of perks granted by tier or by hand,
codes handed out from a pool (never twice), a record of who got what, revocation, and the
member's own list."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassadors import services
from ambassadors.models import AmbassadorApplication, Perk, PerkCode, PerkGrant
from members.models import Member, Notification
from tests.factories import MemberFactory, logged_in

from .factories import ReferralFactory

pytestmark = pytest.mark.django_db

STAFF_PERKS = "/ambassadors/staff/perks/"


def perk_url(perk, action=""):
    return f"{STAFF_PERKS}{perk.pk}/{action + '/' if action else ''}"


@pytest.fixture
def discount(db):
    perk = Perk.objects.create(title="Discount code", tier="", uses_codes=True)
    PerkCode.objects.bulk_create([PerkCode(perk=perk, code=f"SAVE-{n}") for n in range(2)])
    return perk


def test_staff_grant_a_perk_by_hand_with_a_code_from_the_pool(staff, member, discount):
    response = logged_in(staff).post(perk_url(discount, "grant"), {"username": member.username})
    assert response.status_code == 302
    grant = PerkGrant.objects.get(member=member)
    assert grant.code.code == "SAVE-0" and grant.granted_by == staff
    assert PerkCode.objects.get(code="SAVE-0").handed_out_at is not None
    assert Notification.objects.filter(recipient=member, kind="perk_granted").exists()
    # The member sees it, code included, in their own list.
    html = logged_in(member).get("/ambassadors/perks/").content.decode()
    assert "Discount code" in html and "SAVE-0" in html
    # The record: the staff page names who got which code.
    page = logged_in(staff).get(perk_url(discount)).content.decode()
    assert member.name in page and "SAVE-0" in page


def test_a_code_is_never_handed_out_twice_and_an_empty_pool_is_a_form_error(staff, discount):
    client = logged_in(staff)
    first, second, third = MemberFactory(), MemberFactory(), MemberFactory()
    for m in (first, second):
        assert client.post(perk_url(discount, "grant"), {"username": m.username}).status_code == 302
    response = client.post(perk_url(discount, "grant"), {"username": third.username})
    assert response.status_code == 400 and "No codes are left" in response.content.decode()
    codes = list(PerkGrant.objects.values_list("code__code", flat=True))
    assert sorted(codes) == ["SAVE-0", "SAVE-1"]
    assert not PerkGrant.objects.filter(member=third).exists()


def test_a_member_holds_a_perk_once_and_a_revoked_code_is_not_reused(staff, member, discount):
    client = logged_in(staff)
    client.post(perk_url(discount, "grant"), {"username": member.username})
    again = client.post(perk_url(discount, "grant"), {"username": member.username})
    assert again.status_code == 400 and "already has this perk" in again.content.decode()
    grant = PerkGrant.objects.get(member=member)
    response = client.post(f"/ambassadors/staff/perk-grants/{grant.pk}/revoke/", {"reason": "Left"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == staff
    assert grant.revoke_reason == "Left"
    html = logged_in(member).get("/ambassadors/perks/").content.decode()
    assert "Taken back on" in html and "SAVE-0" not in html
    # Granted again: a fresh code, the revoked one stays with the revoked grant.
    client.post(perk_url(discount, "grant"), {"username": member.username})
    active = PerkGrant.objects.get(member=member, revoked_at__isnull=True)
    assert active.code.code == "SAVE-1"
    assert PerkGrant.objects.filter(member=member).count() == 2  # the record keeps both


def test_revoking_twice_changes_nothing(staff, member, discount):
    grant = services.perk_grant(actor=staff, perk=discount, member=member)
    assert services.perk_revoke(actor=staff, grant=grant, reason="")
    assert not services.perk_revoke(actor=staff, grant=grant, reason="again")
    grant.refresh_from_db()
    assert grant.revoke_reason == ""


def test_staff_add_codes_to_the_pool(staff, discount):
    response = logged_in(staff).post(
        perk_url(discount, "codes"), {"codes": "NEW-1\nNEW-2\nSAVE-0\n"}
    )
    assert response.status_code == 302
    assert PerkCode.objects.filter(perk=discount).count() == 4  # SAVE-0 was there already
    bad = logged_in(staff).post(perk_url(discount, "codes"), {"codes": "   \n"})
    assert bad.status_code == 400


def test_a_tier_perk_is_granted_when_a_member_reaches_the_tier(member):
    early = Perk.objects.create(title="Early access", tier=Perk.Tier.ADVOCATE)
    meeting = Perk.objects.create(title="Meeting the product team", tier=Perk.Tier.AMBASSADOR)
    for _ in range(3):
        referral = ReferralFactory(referrer=member, first_contribution_at=timezone.now())
        services.referral_qualify(referral=referral)
    member.refresh_from_db()
    assert member.badge == Member.Badge.ADVOCATE
    assert PerkGrant.objects.filter(member=member, perk=early, granted_by=None).exists()
    assert not PerkGrant.objects.filter(member=member, perk=meeting).exists()


def test_an_approved_ambassador_gets_the_ambassador_perks(staff, member):
    meeting = Perk.objects.create(title="Meeting the product team", tier=Perk.Tier.AMBASSADOR)
    application = AmbassadorApplication.objects.create(member=member, motivation="x" * 30)
    services.ambassador_application_decide(actor=staff, application=application, approve=True)
    assert PerkGrant.objects.filter(member=member, perk=meeting).exists()


def test_staff_grant_a_new_tier_perk_to_everyone_already_in_the_tier(staff):
    advocates = [MemberFactory(badge=Member.Badge.ADVOCATE) for _ in range(3)]
    ambassador = MemberFactory(badge=Member.Badge.AMBASSADOR)
    MemberFactory()  # no tier
    perk = Perk.objects.create(title="Swag", tier=Perk.Tier.ADVOCATE, uses_codes=True)
    PerkCode.objects.bulk_create([PerkCode(perk=perk, code=f"S{n}") for n in range(3)])
    response = logged_in(staff).post(perk_url(perk, "grant-tier"))
    assert response.status_code == 302
    holders = set(PerkGrant.objects.filter(perk=perk).values_list("member_id", flat=True))
    assert len(holders) == 3 and holders <= {m.pk for m in [*advocates, ambassador]}
    assert PerkCode.objects.filter(perk=perk, handed_out_at__isnull=True).count() == 0
    # Once codes are added, the one left out gets it too, and nobody twice.
    services.perk_codes_add(actor=staff, perk=perk, codes=["S9"])
    assert services.perk_grant_tier(actor=staff, perk=perk) == (1, 0)
    assert PerkGrant.objects.filter(perk=perk).count() == 4


def test_a_perk_granted_by_hand_only_cannot_be_granted_by_tier(staff, discount):
    with pytest.raises(ValidationError):
        services.perk_grant_tier(actor=staff, perk=discount)


@pytest.mark.parametrize("who,status", [("visitor", 302), ("member", 403), ("moderator", 403)])
def test_only_staff_manage_perks(client, member, moderator, discount, who, status):
    if who != "visitor":
        client.force_login(member if who == "member" else moderator)
    assert client.get(STAFF_PERKS).status_code == status
    assert client.get(perk_url(discount)).status_code == status
    target = MemberFactory()
    assert (
        client.post(perk_url(discount, "grant"), {"username": target.username}).status_code
        == status
    )
    assert client.post(perk_url(discount, "codes"), {"codes": "X"}).status_code == status
    assert not PerkGrant.objects.exists() and PerkCode.objects.count() == 2


def test_members_cannot_revoke_and_visitors_have_no_perk_list(client, member, staff, discount):
    grant = services.perk_grant(actor=staff, perk=discount, member=member)
    client.force_login(member)
    assert client.post(f"/ambassadors/staff/perk-grants/{grant.pk}/revoke/").status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_at is None
    visitor = type(client)()
    assert visitor.get("/ambassadors/perks/").status_code == 302


def test_bad_input_is_a_form_error_or_a_404(staff, discount):
    client = logged_in(staff)
    response = client.post(perk_url(discount, "grant"), {"username": "nobody-at-all"})
    assert (
        response.status_code == 400 and "No member has this username" in response.content.decode()
    )
    assert client.get(f"{STAFF_PERKS}999999/").status_code == 404
    assert client.post("/ambassadors/staff/perk-grants/999999/revoke/").status_code == 404
    grant = services.perk_grant(actor=staff, perk=discount, member=MemberFactory())
    too_long = client.post(
        f"/ambassadors/staff/perk-grants/{grant.pk}/revoke/", {"reason": "x" * 600}
    )
    assert too_long.status_code == 400


@pytest.mark.parametrize("rows", [2, 20])
def test_perk_pages_query_counts_do_not_grow(staff, rows, django_assert_max_num_queries):
    perk = Perk.objects.create(title="Early access", tier=Perk.Tier.ADVOCATE, uses_codes=True)
    PerkCode.objects.bulk_create([PerkCode(perk=perk, code=f"C{n}") for n in range(rows)])
    members = [MemberFactory() for _ in range(rows)]
    for m in members:
        services.perk_grant(actor=staff, perk=perk, member=m)
        other = Perk.objects.create(title=f"Other {m.pk}")
        services.perk_grant(actor=staff, perk=other, member=members[0])
    client = logged_in(staff)
    client.get(STAFF_PERKS)
    with django_assert_max_num_queries(10):
        assert client.get(STAFF_PERKS).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(perk_url(perk)).status_code == 200
    own = logged_in(members[0])
    own.get("/ambassadors/perks/")
    with django_assert_max_num_queries(10):
        assert own.get("/ambassadors/perks/").status_code == 200
