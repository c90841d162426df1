import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from terms import seed
from terms.enums import SupportState
from terms.models import AppointmentContact, CoManagementRecord, ExtensionRequest, SupportRequest
from tests.factories import terms as tf

pytestmark = pytest.mark.django_db


def test_seed_without_appointment_adds_nothing():
    out = io.StringIO()
    seed.seed(out)
    assert "no active demo appointment" in out.getvalue()


def test_seed_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        appt = tf.appointment(start=date(2025, 9, 1))
        seed.seed(io.StringIO())
        seed.seed(io.StringIO())
    assert AppointmentContact.objects.filter(appointment=appt).count() == 2
    assert CoManagementRecord.objects.filter(appointment=appt).count() == 2
    assert sorted(SupportRequest.objects.values_list("kind", "state")) == [
        ("housing", SupportState.SUBMITTED),
        ("medical", SupportState.ARRANGED),
    ]
    assert ExtensionRequest.objects.filter(appointment=appt).count() == 1
