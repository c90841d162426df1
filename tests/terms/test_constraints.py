"""One active appointment per expert, enforced by PostgreSQL even when two transactions race."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from projects import services as project_services
from projects.enums import AppointmentState, ProjectState
from projects.exceptions import ProjectError
from projects.models import Appointment, Project
from tests.factories import projects as pf
from tests.factories import terms as tf


def _signed_project(exp):
    proj = pf.project(ent=tf.enterprise(), exp=exp)
    Project.objects.filter(pk=proj.pk).update(
        state=ProjectState.AGREEMENT_SIGNED, approved_funding=F("total_funds")
    )
    proj.refresh_from_db()
    return proj


def _run(*targets):
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_inserts_of_a_second_active_appointment_fail_in_the_database(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    exp = pf.expert()
    # a second project of the same expert can exist only outside the live states (a DB rule of projects)
    second = _signed_project(exp)
    Project.objects.filter(pk=second.pk).update(state=ProjectState.TERMINATED)
    first = _signed_project(exp)
    inserted = threading.Event()
    outcome = {}

    def row(project):
        return Appointment(
            project=project,
            expert=exp,
            enterprise=project.enterprise,
            start_date=date(2026, 1, 1),
            months=24,
            end_date=date(2027, 12, 31),
            state=AppointmentState.ACTIVE,
        )

    def holder():
        try:
            with transaction.atomic():
                row(first).save()
                inserted.set()
                threading.Event().wait(0.5)  # keep the row uncommitted while the other one tries
            outcome["holder"] = "committed"
        finally:
            connection.close()

    def racer():
        try:
            inserted.wait(timeout=10)
            with transaction.atomic():
                row(second).save()  # blocks on the unique index until the holder commits, then fails
            outcome["racer"] = "committed"
        except IntegrityError as exc:
            outcome["racer"] = "appointment_one_active_per_expert" in str(exc)
        finally:
            connection.close()

    _run(holder, racer)
    assert outcome == {"holder": "committed", "racer": True}
    assert Appointment.objects.filter(expert=exp, state=AppointmentState.ACTIVE).count() == 1


@pytest.mark.django_db
def test_a_new_appointment_is_allowed_once_the_previous_term_ended(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from terms import services

    exp = pf.expert()
    old = tf.appointment(start=date(2023, 1, 1), exp=exp)
    services.appointments_end_due(as_of=date(2025, 1, 1))
    # the ended term's project stays live until 结题: no second project for the expert yet
    with pytest.raises(ProjectError, match="已聘任"):
        _signed_project(exp)
    staff = pf.commission()
    report = tf.submitted_report(old, summary="两年工作总结", achieved="已申请2项")
    services.term_report_confirm(report=report, by=tf.expert_user(old))
    services.term_report_accept(report=report, accepted_on=date(2025, 1, 20), note="同意结题", by=staff)
    new = project_services.appointment_create(
        project=_signed_project(exp), by=pf.commission(), start_date=date(2025, 2, 1), issue_letters=False
    )
    old.refresh_from_db()
    assert (old.state, new.state) == (AppointmentState.ENDED, AppointmentState.ACTIVE)


@pytest.mark.django_db
def test_second_active_appointment_refused_by_the_service_with_a_clear_message(settings, tmp_path):
    """The service's own check (before the database's): an expert still serving cannot be appointed
    again. The first project is forced out of the live states here — normally the one-live-project rule
    of projects already prevents a second signed project."""
    settings.MEDIA_ROOT = tmp_path
    exp = pf.expert()
    first = tf.appointment(start=date(2026, 1, 1), exp=exp)
    Project.objects.filter(pk=first.project_id).update(state=ProjectState.COMPLETED)
    second = _signed_project(exp)
    with pytest.raises(ProjectError, match="该专家已有聘任中的服务期"):
        project_services.appointment_create(
            project=second, by=pf.commission(), start_date=date(2026, 6, 1), issue_letters=False
        )
    assert Appointment.objects.filter(expert=exp).count() == 1
    assert Project.objects.get(pk=second.pk).state == ProjectState.AGREEMENT_SIGNED
