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


# ``referrals`` and ``audit`` replace the project's own services with recorders. The Q&A
# tests assert on stored Referral and AuditLogEntry rows instead; only the idea-board tests
# (tests/forum/test_ideas_moderation.py) still use these two, until they are converted too.


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
