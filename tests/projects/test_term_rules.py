"""Issue 15 items 1–3: the term's length comes from the policy version in force, the start is never
before the record-filing (备案) or signing date, and no two terms of one expert overlap (service check and
PostgreSQL exclusion constraint)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse

from core.exceptions import PolicyError
from projects import policy, services
from projects.enums import AppointmentState, ProjectState
from projects.exceptions import ProjectError
from projects.forms import AppointForm
from projects.models import Agreement, Appointment, Filing, Project
from subsidies.models import AllowancePayment
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.subsidies import ensure_policy_2_0, policy_version

# --- pure rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "filed_on", "signed_on", "message"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), date(2026, 2, 10), None),
        (date(2026, 2, 10), date(2026, 2, 1), date(2026, 2, 10), None),  # the signing day itself
        (date(2026, 2, 9), date(2026, 2, 1), date(2026, 2, 10), "最早可以从 2026-02-10 开始"),
        (date(2020, 1, 1), date(2026, 2, 1), None, "不能早于备案日期 2026-02-01；最早可以从 2026-02-01"),
        (date(2020, 1, 1), None, date(2026, 2, 10), "合作协议签订日期 2026-02-10"),
        (date(2020, 1, 1), None, None, None),  # a term entered from paper records: nothing to compare
    ],
)
def test_check_start_date(start, filed_on, signed_on, message):
    if message is None:
        assert policy.check_start_date(start, filed_on=filed_on, signed_on=signed_on) is None
    else:
        with pytest.raises(PolicyError, match=message):
            policy.check_start_date(start, filed_on=filed_on, signed_on=signed_on)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((date(2025, 1, 1), date(2025, 5, 31)), (date(2025, 6, 1), date(2027, 5, 31)), False),
        ((date(2025, 1, 1), date(2025, 6, 1)), (date(2025, 6, 1), date(2027, 5, 31)), True),  # one day
        ((date(2025, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2026, 12, 31)), True),
        ((date(2027, 1, 1), date(2028, 12, 31)), (date(2025, 1, 1), date(2026, 12, 31)), False),
        ((date(2025, 3, 1), date(2025, 4, 1)), (date(2025, 1, 1), date(2026, 12, 31)), True),  # inside
    ],
)
def test_terms_overlap(a, b, expected):
    assert policy.terms_overlap(a, b) is expected
    assert policy.terms_overlap(b, a) is expected


@pytest.mark.parametrize(
    ("end", "terminated_on", "expected"),
    [
        (date(2026, 12, 31), None, date(2026, 12, 31)),
        (date(2026, 12, 31), date(2025, 5, 31), date(2025, 5, 31)),
    ],
)
def test_effective_end(end, terminated_on, expected):
    assert policy.effective_end(end, terminated_on) == expected


# --- item 1: term length from the policy version -----------------------------------------------------


def _appoint(project, start):
    staff = pf.commission()
    return services.appointment_create(project=project, by=staff, start_date=start, issue_letters=False)


def _signed(*, exp=None, filed_on=None, signed_on=None) -> Project:
    """A project at 已签协议 (the review steps skipped) with the given filing and signing dates."""
    project = pf.project(ent=tf.enterprise(), exp=exp)
    Project.objects.filter(pk=project.pk).update(
        state=ProjectState.AGREEMENT_SIGNED, approved_funding=F("total_funds")
    )
    staff = pf.commission()
    if filed_on:
        Filing.objects.create(project=project, number="备〔2026〕1号", filed_on=filed_on, filed_by=staff)
    if signed_on:
        Agreement.objects.create(project=project, file="a.pdf", signed_on=signed_on, uploaded_by=staff)
    project.refresh_from_db()
    return project


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("v3_from", "v3_months", "expected_months", "expected_end"),
    [
        (None, None, 24, date(2027, 2, 28)),  # policy 2.0 in force
        (date(2026, 1, 1), 36, 36, date(2028, 2, 29)),  # 3.0 in force today: its length
        (date(2099, 1, 1), 36, 24, date(2027, 2, 28)),  # 3.0 not yet in force
    ],
)
def test_term_length_is_the_policy_versions(v3_from, v3_months, expected_months, expected_end):
    ensure_policy_2_0()
    if v3_from:
        policy_version("3.0", v3_from, title="政策3.0", term_months=v3_months)
    appt = services.appointment_create(
        project=_signed(), by=pf.commission(), start_date=date(2025, 3, 1), issue_letters=False
    )
    assert (appt.months, appt.end_date) == (expected_months, expected_end)
    # the generator and the term page count the same months: every one of them once the term is over
    from subsidies.allowances import allowances_generate

    allowances_generate(as_of=date(2030, 1, 1))
    assert AllowancePayment.objects.filter(appointment=appt, kind="district").count() == expected_months
    from terms.selectors import base_term_months

    assert base_term_months(Appointment.objects.get(pk=appt.pk)) == expected_months


def test_appoint_form_has_no_length_field():
    form = AppointForm(data={"start_date": "2026-03-01", "months": "60"})
    assert list(form.fields) == ["start_date"]
    assert form.is_valid() and "months" not in form.cleaned_data


@pytest.mark.django_db
def test_appoint_view_ignores_a_posted_length(client, otp_login):
    ensure_policy_2_0()
    project = _signed(filed_on=date(2026, 1, 5), signed_on=date(2026, 1, 10))
    staff = pf.commission()
    otp_login(client, staff)
    detail = client.get(reverse("projects:project-detail", args=[project.pk]))
    assert 'name="months"' not in detail.content.decode()
    assert "最早 2026-01-10" in detail.content.decode()
    assert "24 个月" in detail.content.decode()
    client.post(
        reverse("projects:project-appoint", args=[project.pk]),
        {"start_date": "2026-02-01", "months": "60", "confirmed": "1"},
    )
    appt = Appointment.objects.get(project=project)
    assert (appt.months, appt.end_date) == (24, date(2028, 1, 31))


# --- item 2: start date --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "ok", "message"),
    [
        (date(2020, 1, 1), False, "最早可以从 2026-01-10 开始"),
        (date(2026, 1, 9), False, "合作协议签订日期 2026-01-10"),
        (date(2026, 1, 10), True, ""),
        (date(2026, 3, 1), True, ""),
    ],
)
def test_start_not_before_filing_or_signing(start, ok, message):
    ensure_policy_2_0()
    project = _signed(filed_on=date(2026, 1, 5), signed_on=date(2026, 1, 10))
    if ok:
        appt = _appoint(project, start)
        assert appt.start_date == start
        return
    with pytest.raises(ProjectError, match=message):
        _appoint(project, start)
    assert not Appointment.objects.filter(project=project).exists()
    assert Project.objects.get(pk=project.pk).state == ProjectState.AGREEMENT_SIGNED


@pytest.mark.django_db
def test_appoint_view_refuses_an_early_start_with_the_date(client, otp_login):
    ensure_policy_2_0()
    project = _signed(filed_on=date(2026, 1, 5), signed_on=date(2026, 1, 10))
    otp_login(client, pf.commission())
    response = client.post(
        reverse("projects:project-appoint", args=[project.pk]),
        {"start_date": "2020-01-01", "confirmed": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert (
        "聘期开始日期不能早于备案日期 2026-01-05、合作协议签订日期 2026-01-10；最早可以从 2026-01-10 开始。"
    ) in page
    assert not Appointment.objects.filter(project=project).exists()
    assert not AllowancePayment.objects.exists()


# --- item 3: no overlapping terms ----------------------------------------------------------------------


def _terminated(exp, *, start, terminated_on):
    appt = _appoint(_signed(exp=exp), start)
    services.appointment_end(
        appointment=appt, by=pf.commission(), terminated_on=terminated_on, reason="企业调整"
    )
    Project.objects.filter(pk=appt.project_id).update(state=ProjectState.TERMINATED)
    return appt


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_start", "ok"),
    [
        (date(2025, 1, 1), False),  # the issue's case: terminated term and new one overlap
        (date(2025, 5, 31), False),  # the termination date is still served
        (date(2025, 6, 1), True),  # the day after the last day served
        (date(2024, 12, 1), False),  # a term starting before but running into the old one
    ],
)
def test_no_overlap_with_a_terminated_term(new_start, ok):
    ensure_policy_2_0()
    exp = pf.expert()
    _terminated(exp, start=date(2024, 1, 1), terminated_on=date(2025, 5, 31))
    project = _signed(exp=exp)
    if ok:
        _appoint(project, new_start)
        assert Appointment.objects.filter(expert=exp).count() == 2
        return
    with pytest.raises(ProjectError, match=r"2024-01-01 至 2025-05-31.*不能重叠"):
        _appoint(project, new_start)
    assert Appointment.objects.filter(expert=exp).count() == 1


def _insert_sql(appt: Appointment, *, start: date, end: date, project: Project, terminated_on=None):
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO projects_appointment (project_id, expert_id, enterprise_id, position, state,"
            " start_date, months, end_date, terminated_on, created_at, updated_at)"
            " VALUES (%s, %s, %s, 'vp', %s, %s, 24, %s, %s, now(), now())",
            [project.pk, appt.expert_id, appt.enterprise_id, "ended", start, end, terminated_on],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "terminated_on", "refused"),
    [
        (date(2025, 1, 1), date(2026, 12, 31), None, True),
        (date(2025, 5, 31), date(2027, 5, 30), None, True),
        (date(2025, 6, 1), date(2027, 5, 31), None, False),
        (date(2023, 1, 1), date(2024, 12, 31), None, True),  # runs into the old term
        (date(2022, 1, 1), date(2023, 12, 31), None, False),  # ends the day before
        (date(2023, 1, 1), date(2024, 12, 31), date(2023, 12, 31), False),  # terminated before the start
    ],
)
def test_overlap_refused_by_the_database(start, end, terminated_on, refused):
    ensure_policy_2_0()
    exp = pf.expert()
    old = _terminated(exp, start=date(2024, 1, 1), terminated_on=date(2025, 5, 31))
    other = pf.project(ent=tf.enterprise(), exp=pf.expert())
    if refused:
        with pytest.raises(IntegrityError, match="appointment_no_overlap_per_expert"), transaction.atomic():
            _insert_sql(old, start=start, end=end, project=other, terminated_on=terminated_on)
    else:
        _insert_sql(old, start=start, end=end, project=other, terminated_on=terminated_on)
    assert Appointment.objects.filter(expert=exp).count() == (1 if refused else 2)


@pytest.mark.django_db
def test_overlap_constraint_follows_an_extended_end():
    """The range runs to the end date, which includes approved extensions: moving an end date into a
    later term of the expert is refused by the database too."""
    ensure_policy_2_0()
    exp = pf.expert()
    old = _terminated(exp, start=date(2022, 1, 1), terminated_on=date(2022, 12, 31))
    Appointment.objects.filter(pk=old.pk).update(terminated_on=None)  # a normal end: 2023-12-31
    later = services.appointment_create(
        project=_signed(exp=exp), by=pf.commission(), start_date=date(2024, 1, 1), issue_letters=False
    )
    assert later.state == AppointmentState.ACTIVE
    with (
        pytest.raises(IntegrityError, match="appointment_no_overlap_per_expert"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE projects_appointment SET end_date = '2024-06-30' WHERE id = %s", [old.pk])


@pytest.mark.django_db
def test_appoint_view_refuses_an_overlapping_term_with_the_first_free_day(client, otp_login):
    ensure_policy_2_0()
    exp = pf.expert()
    _terminated(exp, start=date(2024, 1, 1), terminated_on=date(2025, 5, 31))
    project = _signed(exp=exp)
    otp_login(client, pf.commission())
    page = client.post(
        reverse("projects:project-appoint", args=[project.pk]),
        {"start_date": "2025-01-01", "confirmed": "1"},
        follow=True,
    ).content.decode()
    assert "该专家已有服务期 2024-01-01 至 2025-05-31" in page
    assert "同一专家的服务期不能重叠，请从 2025-06-01 起聘任。" in page
    assert Appointment.objects.filter(expert=exp).count() == 1
    assert Project.objects.get(pk=project.pk).state == ProjectState.AGREEMENT_SIGNED
