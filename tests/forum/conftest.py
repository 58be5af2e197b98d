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
