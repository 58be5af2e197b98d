import pytest
from playwright.sync_api import expect

from ambassadors.services import referral_code_ensure
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_follows_a_referral_link_and_sees_the_referrer_on_sign_up(live_server, page):
    referrer = MemberFactory(display_name="Rita Referrer")
    code = referral_code_ensure(member=referrer).code
    page.goto(f"{live_server.url}/r/{code}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_text("Invited by Rita Referrer", exact=True)).to_be_visible()
    expect(page.get_by_label("Email")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "veche_ref")
    assert cookie["httpOnly"] and str(referrer.pk) in cookie["value"]
