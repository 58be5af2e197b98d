import pytest


@pytest.fixture(autouse=True)
def _uncached_dashboard(settings):
    """Tests measure the real work of every request (the dashboard's cache is tested once)."""
    settings.VECHE_ANALYTICS_CACHE_SECONDS = 0
