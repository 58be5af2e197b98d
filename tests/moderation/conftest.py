import pytest


@pytest.fixture
def rule(db):
    from tests.moderation.factories import current_rule

    return current_rule(1)


@pytest.fixture
def comment(db):
    from tests.moderation.factories import CommentFactory

    return CommentFactory()
