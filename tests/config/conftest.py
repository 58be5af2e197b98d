import pytest

from .community import seed_small_community


@pytest.fixture
def community() -> dict[str, str]:
    return seed_small_community()
