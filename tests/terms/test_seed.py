import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F

from projects.enums import AppointmentState, ProjectState
from projects.models import Appointment, Filing, Project
from terms import seed
from terms.enums import ReportState, SupportState
from terms.models import AppointmentContact, CoManagementRecord, Completion, ExtensionRequest, SupportRequest
from tests.factories import projects as pf
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
        ("medical", SupportState.WITHDRAWN),
    ]
    assert ExtensionRequest.objects.filter(appointment=appt).count() == 1


def test_seed_adds_an_ended_term_awaiting_completion(settings, tmp_path):
    """The filed demo project becomes a served term: ended, report jointly submitted, project still
    appointed (结题 is the commission's next step); a second run adds nothing."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        tf.appointment(start=date(2025, 9, 1))
        project = pf.project(ent=tf.enterprise(), title=seed.ENDED_PROJECT_TITLE)
        Project.objects.filter(pk=project.pk).update(
            state=ProjectState.FILED, approved_funding=F("total_funds")
        )
        Filing.objects.create(
            project=project,
            number="昌人才办备〔2026〕15号",
            filed_on=date(2026, 5, 1),
            filed_by=pf.talent_office(),
        )
        seed.seed(io.StringIO())
        seed.seed(io.StringIO())
    project.refresh_from_db()
    appointment = project.appointment
    assert (appointment.state, appointment.start_date) == (AppointmentState.ENDED, date(2024, 5, 12))
    assert project.state == ProjectState.APPOINTED
    assert appointment.term_report.state == ReportState.SUBMITTED
    assert not Completion.objects.exists()
    assert Appointment.objects.filter(project=project).count() == 1
