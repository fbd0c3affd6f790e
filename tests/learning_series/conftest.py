import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rendered slides are cached; each test starts from a cold cache."""
    cache.clear()
    yield
    cache.clear()
