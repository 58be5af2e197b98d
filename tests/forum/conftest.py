import pytest

from tests.factories import MemberFactory
from tests.forum.factories import CategoryFactory


@pytest.fixture
def category(db):
    return CategoryFactory(name="Billing", slug="billing")


@pytest.fixture
def private_category(db):
    return CategoryFactory(name="Ambassador lounge", slug="lounge", ambassadors_only=True)


@pytest.fixture
def ambassador(db):
    return MemberFactory(badge="ambassador")


@pytest.fixture
def new_member(db):
    return MemberFactory(trust_level=0)


@pytest.fixture
def hold_everything(monkeypatch):
    """Make the moderation screen hold every post, recording what was queued."""
    from moderation import services as moderation

    held = []
    monkeypatch.setattr(
        moderation, "content_screen", lambda **kw: moderation.Screening(hold=True, reasons=["test"])
    )
    original = moderation.content_held

    def record(**kwargs):
        held.append(kwargs["target"])
        return original(**kwargs)

    monkeypatch.setattr(moderation, "content_held", record)
    return held


@pytest.fixture
def referrals(monkeypatch):
    from ambassadors import services as ambassadors

    credited = []
    monkeypatch.setattr(
        ambassadors, "referral_on_contribution", lambda *, member: credited.append(member.pk)
    )
    return credited


@pytest.fixture
def audit(monkeypatch):
    from moderation import services as moderation

    rows = []
    monkeypatch.setattr(moderation, "audit_log_write", lambda **kw: rows.append(kw))
    return rows
