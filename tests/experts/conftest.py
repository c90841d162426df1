import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploads made by these tests go to a temporary MEDIA_ROOT, not the checkout's var/uploads."""
    settings.MEDIA_ROOT = tmp_path / "media"
