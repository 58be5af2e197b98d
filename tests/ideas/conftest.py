"""Fixtures of the idea board's tests. Nothing of the project is mocked here: a held post is
held because its author is new (the real screening), credits land on real referral rows."""

import pytest

from ambassadors.models import Referral
from tests.factories import MemberFactory


@pytest.fixture
def new_member(db):
    """A member whose first posts the moderation screening holds for approval."""
    return MemberFactory(trust_level=0)


@pytest.fixture
def new_member_client(client, new_member):
    client.force_login(new_member)
    return client


@pytest.fixture
def referral_of(db):
    """A pending referral of ``member`` (verified e-mail, so a first contribution qualifies it)."""

    def make(member) -> Referral:
        return Referral.objects.create(
            referrer=MemberFactory(), referred=member, signup_ip_hash=f"ip-{member.pk}"
        )

    return make
