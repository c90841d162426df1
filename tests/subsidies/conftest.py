import pytest


@pytest.fixture(autouse=True)
def _field_encryption_key(settings):
    # A fixed test key (tests run with DEBUG off, where no key is derived).
    settings.FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTE="]
