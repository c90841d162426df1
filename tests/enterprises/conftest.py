import pytest


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """The matching index is cached in Redis and in the process; each test starts from its own data."""
    from django.core.cache import cache

    from enterprises import matching

    cache.clear()
    matching._local.clear()
    yield
    matching._local.clear()
