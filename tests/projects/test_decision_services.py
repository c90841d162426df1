"""Project services after a closed round, against PostgreSQL: the decision (pass line, confirmed category),
public notice and objections, record-filing, agreement, appointment, end of term and completion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects import services
from projects.enums import AppointmentState, ProjectState, RoundState
from projects.exceptions import ProjectError
from projects.models import Appointment, Filing, Project
from tests.factories import projects as f
from tests.projects.review_steps import open_round, score_all

pytestmark = pytest.mark.django_db


def _closed_round(totals, **kwargs):
    round, projects, _reviewers, staff = open_round(len(totals), 3, **kwargs)
    score_all(round, dict(zip(projects, totals, strict=True)))
    services.round_close(round=round, by=staff)
    return round, [Project.objects.get(pk=p.pk) for p in projects], staff


def test_decision_against_pass_line_needs_reason():
    _round, (low, high), staff = _closed_round([["60", "60", "60"], ["80", "80", "80"]])
    with pytest.raises(ProjectError, match="必须填写理由"):
        services.project_decide(project=low, by=staff, approve=True, social_science=low.social_science)
    with pytest.raises(ProjectError, match="必须填写理由"):
        services.project_decide(project=high, by=staff, approve=False)
    services.project_decide(
        project=low, by=staff, approve=True, social_science=low.social_science, reason="填补主导产业空白"
    )
    services.project_decide(project=high, by=staff, approve=True, social_science=high.social_science)
    high.refresh_from_db()
    assert high.state == ProjectState.APPROVED
    assert high.approved_funding == Decimal("500000.00")


def _decided(uses_notice=True, today=None):
    round, (project,), staff = _closed_round([["80", "80", "80"]], uses_notice=uses_notice)
    services.project_decide(project=project, by=staff, approve=True, social_science=project.social_science)
    services.round_decide(round=round, by=staff, today=today or date(2026, 11, 23))
    round.refresh_from_db()
    project.refresh_from_db()
    return round, project, staff


def test_round_decide_publishes_notice_for_5_working_days():
    round, project, _staff = _decided()
    assert round.state == RoundState.DECIDED
    assert (round.notice_start, round.notice_end) == (date(2026, 11, 23), date(2026, 11, 27))
    assert project.state == ProjectState.NOTICED


def _file_on(day, project, office):
    """The talent office records the filing 备2026-1 on `day` (also the day it is done)."""
    return services.filing_record(projects=[project], by=office, number="备2026-1", filed_on=day, today=day)


def test_objection_upheld_withdraws_approval():
    _round, project, staff = _decided()
    objection = services.objection_create(
        project=project, name="王某", contact="13900000000", content="成果不实", today=date(2026, 11, 24)
    )
    office = f.talent_office()
    with pytest.raises(ProjectError):
        _file_on(date(2026, 11, 30), project, office)
    services.objection_resolve(objection=objection, by=staff, upheld=True, resolution="经核实成果不实")
    project.refresh_from_db()
    assert project.state == ProjectState.NOT_APPROVED


def test_objection_outside_notice_refused():
    _round, project, _staff = _decided()
    with pytest.raises(ProjectError, match="公示期"):
        services.objection_create(
            project=project, name="王某", contact="x", content="y", today=date(2026, 11, 30)
        )


def test_filing_during_notice_refused_after_notice_ok():
    _round, project, _staff = _decided()
    office = f.talent_office()
    with pytest.raises(ProjectError, match="仍在公示期内"):
        _file_on(date(2026, 11, 26), project, office)
    _file_on(date(2026, 11, 30), project, office)
    project.refresh_from_db()
    assert project.state == ProjectState.FILED
    assert project.filing.number == "备2026-1"


def test_only_talent_office_files():
    _round, project, staff = _decided(uses_notice=False)
    with pytest.raises(ProjectError):
        services.filing_record(projects=[project], by=staff, number="1", filed_on=date.today())


def _filed():
    _round, project, staff = _decided(uses_notice=False)
    services.filing_record(
        projects=[project], by=f.talent_office(), number="昌人才备〔2026〕12号", filed_on=timezone.localdate()
    )
    project.refresh_from_db()
    return project, staff


def test_agreement_then_appointment_with_term_end(django_capture_on_commit_callbacks):
    project, staff = _filed()
    services.agreement_upload(
        project=project,
        by=f.member_of(project),
        file=f.plan_file("agreement.pdf"),
        signed_on=timezone.localdate(),
    )
    project.refresh_from_db()
    assert project.state == ProjectState.AGREEMENT_SIGNED
    appointment = services.appointment_create(
        project=project, by=staff, start_date=date(2027, 1, 1), issue_letters=False
    )
    assert appointment.end_date == date(2026 + 2, 12, 31)
    assert appointment.state == AppointmentState.ACTIVE
    project.refresh_from_db()
    assert project.state == ProjectState.APPOINTED


def test_agreement_before_filing_refused():
    _round, project, _staff = _decided(uses_notice=False)
    with pytest.raises(ProjectError, match="备案后"):
        services.agreement_upload(
            project=project, by=f.member_of(project), file=f.plan_file(), signed_on=timezone.localdate()
        )


def test_one_active_appointment_per_expert_in_database():
    project, staff = _filed()
    services.agreement_upload(project=project, by=staff, file=f.plan_file(), signed_on=timezone.localdate())
    project.refresh_from_db()
    appointment = services.appointment_create(project=project, by=staff, issue_letters=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            project=f.project(),
            expert=appointment.expert,
            enterprise=appointment.enterprise,
            start_date=date(2027, 1, 1),
            end_date=date(2028, 12, 31),
        )


def test_appointment_terminated_early():
    project, staff = _filed()
    services.agreement_upload(project=project, by=staff, file=f.plan_file(), signed_on=timezone.localdate())
    project.refresh_from_db()
    appointment = services.appointment_create(
        project=project, by=staff, start_date=date(2027, 1, 1), issue_letters=False
    )
    with pytest.raises(ProjectError, match="原因"):
        services.appointment_end(appointment=appointment, by=staff, terminated_on=date(2027, 6, 30))
    services.appointment_end(
        appointment=appointment, by=staff, terminated_on=date(2027, 6, 30), reason="企业经营调整"
    )
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.TERMINATED
    assert Project.objects.get(pk=project.pk).state == ProjectState.TERMINATED


def test_appointment_end_at_term_end_leaves_project_appointed_until_completion():
    project, staff = _filed()
    # a term that started in 2024 was filed and signed before it (the start is never earlier, SPEC §4)
    Filing.objects.filter(project=project).update(filed_on=date(2023, 12, 1))
    services.agreement_upload(project=project, by=staff, file=f.plan_file(), signed_on=date(2023, 12, 15))
    project.refresh_from_db()
    appointment = services.appointment_create(
        project=project, by=staff, start_date=date(2024, 1, 1), issue_letters=False
    )
    with pytest.raises(ProjectError, match="服务期届满后方可验收结题"):
        services.project_complete(project=project, by=staff)
    services.appointment_end(appointment=appointment, by=None, reason="服务期届满")
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.ENDED
    # 结题 is the term-end report's acceptance (terms.services.term_report_accept), not the term's end
    assert Project.objects.get(pk=project.pk).state == ProjectState.APPOINTED
    services.project_complete(project=project, by=staff, reason="总结报告验收通过")
    step = Project.objects.get(pk=project.pk).transitions.get(to_state=ProjectState.COMPLETED)
    assert (step.from_state, step.actor, step.reason) == (ProjectState.APPOINTED, staff, "总结报告验收通过")
    with pytest.raises(ValueError):
        services.project_complete(project=project, by=staff)


# --- the social-science category confirmed at the decision (issue 15 item 8) ----------------------------


@pytest.mark.parametrize(
    ("declared", "confirmed", "funding", "subsidy", "reason_part"),
    [
        (False, False, "500000.00", "250000.00", ""),
        (True, True, "500000.00", "100000.00", ""),
        (False, True, "500000.00", "100000.00", "项目类别由“自然科学与工程技术类”更正为“社会科学与人文类”"),
        (True, False, "500000.00", "250000.00", "项目类别由“社会科学与人文类”更正为“自然科学与工程技术类”"),
        (True, False, "800000.00", "300000.00", "更正为“自然科学与工程技术类”"),
    ],
)
def test_decision_confirms_or_corrects_the_category_and_the_subsidy_uses_it(
    declared, confirmed, funding, subsidy, reason_part
):
    from subsidies.services import appointment_setup
    from tests.factories.subsidies import appointment

    _round, (project,), staff = _closed_round([["80", "80", "80"]])
    Project.objects.filter(pk=project.pk).update(social_science=declared)
    project.refresh_from_db()
    services.project_decide(project=project, by=staff, approve=True, social_science=confirmed)
    project.refresh_from_db()
    assert (project.social_science, project.confirmed_social_science) == (declared, confirmed)
    transition = project.transitions.get(to_state=ProjectState.APPROVED)
    assert reason_part in transition.reason
    assert (reason_part in project.decision_reason) and (bool(reason_part) == bool(project.decision_reason))
    # the subsidy of an appointment on this project follows the confirmed category
    appt = appointment(approved_funding=Decimal(funding), social_science=declared)
    type(appt.project).objects.filter(pk=appt.project_id).update(confirmed_social_science=confirmed)
    appt.project.refresh_from_db()
    assert appointment_setup(appointment=appt, by=staff).amount == Decimal(subsidy)


def test_approval_without_a_confirmed_category_is_refused():
    _round, (project,), staff = _closed_round([["80", "80", "80"]])
    with pytest.raises(ProjectError, match="请确认或更正项目类别（企业申报为“自然科学与工程技术类”）"):
        services.project_decide(project=project, by=staff, approve=True)
    project.refresh_from_db()
    assert (project.state, project.decision, project.confirmed_social_science) == ("reviewed", "", None)
    # a refusal to approve needs no category
    services.project_decide(project=project, by=staff, approve=False, reason="经费预算不合理")
    assert Project.objects.get(pk=project.pk).confirmed_social_science is None


def test_approval_without_category_refused_in_sql():
    from django.db import connection

    project = f.project()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE projects_project SET decision = 'approve' WHERE id = %s", [project.pk])
    assert Project.objects.get(pk=project.pk).decision == ""
