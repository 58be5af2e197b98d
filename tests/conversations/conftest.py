import pytest

from tests.factories import MemberFactory


@pytest.fixture
def rule(db):
    from tests.moderation.factories import current_rule

    return current_rule(1)


@pytest.fixture
def alice(db):
    return MemberFactory(username="alice")


@pytest.fixture
def bob(db):
    return MemberFactory(username="bob")


@pytest.fixture
def carol(db):
    return MemberFactory(username="carol")


@pytest.fixture
def pair(alice, bob):
    from tests.conversations.factories import conversation_between

    return conversation_between(alice, bob)
