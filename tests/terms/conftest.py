"""Fixtures of the service-term tests."""

from datetime import date

import pytest

from projects.enums import AppointmentState
from terms import services
from tests.factories import terms as tf


@pytest.fixture
def two(media):
    """Two service terms, from 2025-03-01 and from 2025-06-01."""
    return tf.appointment(start=date(2025, 3, 1)), tf.appointment(start=date(2025, 6, 1))


@pytest.fixture
def ended(media):
    """A term that started on 2024-01-01, ended by the nightly job (its last day has passed)."""
    appt = tf.appointment(start=date(2024, 1, 1))
    services.appointments_end_due(as_of=date(2026, 1, 1))
    appt.refresh_from_db()
    assert appt.state == AppointmentState.ENDED
    return appt
