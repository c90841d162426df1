"""Fixtures of the service-term tests."""

from datetime import date

import pytest

from tests.factories import terms as tf


@pytest.fixture
def two(media):
    """Two service terms, from 2025-03-01 and from 2025-06-01."""
    return tf.appointment(start=date(2025, 3, 1)), tf.appointment(start=date(2025, 6, 1))
