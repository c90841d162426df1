"""Project completion (结题, SPEC §4: the final report accepted) and the term's lifecycle around it: the
term ending leaves the project appointed (still live); accepting the term-end report completes it, in
one transaction, only after the term ended; a terminated term ends the project and gets no report and
no evaluation; every action on a finished term is refused with nothing changed."""

from datetime import date

import pytest

from core.exceptions import PolicyError
from core.models import AuditEvent
from core.workflow import TransitionError
from projects import services as project_services
from projects.enums import AppointmentState, ProjectState
from projects.exceptions import ProjectError
from projects.models import Project
from terms import policy, services
from terms.enums import ReportState
from terms.models import Completion, Evaluation, ExtensionRequest, Termination, TermReport
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.terms import on

pytestmark = pytest.mark.django_db
RESULTS = [{"indicator": "申请发明专利2项", "target": "2项", "achieved": "已申请3项", "met": True}]


def _submitted_report(appt) -> TermReport:
    """The report the enterprise wrote on 10 January 2027, confirmed by the expert: with staff."""
    with on(date(2027, 1, 10)):
        return tf.submitted_report(appt, summary="两年总结", results=RESULTS, confirmed=True)


def _project_state(appt) -> str:
    return Project.objects.get(pk=appt.project_id).state


# --- policy --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ended", "accepted_on", "message"),
    [
        (False, date(2027, 3, 10), "服务期届满（2027年02月28日）后方可验收结题"),
        (True, date(2027, 2, 28), "结题日期须晚于服务期届满日期（2027年02月28日）"),
        (True, date(2027, 1, 1), "结题日期须晚于服务期届满日期"),
        (True, date(2027, 3, 21), "结题日期不能晚于今天"),
        (True, date(2027, 3, 1), None),
        (True, date(2027, 3, 20), None),
    ],
)
def test_check_completion(ended, accepted_on, message):
    kwargs = {
        "ended": ended,
        "end_date": date(2027, 2, 28),
        "accepted_on": accepted_on,
        "today": date(2027, 3, 20),
    }
    if message is None:
        policy.check_completion(**kwargs)
    else:
        with pytest.raises(PolicyError, match=message):
            policy.check_completion(**kwargs)


@pytest.mark.parametrize(
    ("ended", "terminated", "message"),
    [
        (False, False, "服务期届满后方可组织任职评价"),
        (False, True, "提前终止的服务期不组织任职评价"),
        (True, False, None),
    ],
)
def test_check_evaluation_open(ended, terminated, message):
    if message is None:
        policy.check_evaluation_open(ended=ended, terminated=terminated)
    else:
        with pytest.raises(PolicyError, match=message):
            policy.check_evaluation_open(ended=ended, terminated=terminated)


# --- completion ----------------------------------------------------------------------------------------


def test_term_end_leaves_project_appointed_and_live(appt):
    assert services.appointments_end_due(as_of=date(2027, 3, 1)) == [appt.pk]
    appt.refresh_from_db()
    assert appt.state == AppointmentState.ENDED
    assert _project_state(appt) == ProjectState.APPOINTED
    assert not appt.project.transitions.filter(to_state=ProjectState.COMPLETED).exists()
    # still live: the expert cannot file another project before 结题
    with pytest.raises(ProjectError, match="已聘任"):
        pf.project(ent=tf.enterprise(), exp=appt.expert)


def test_acceptance_before_the_term_ended_is_refused_and_changes_nothing(appt, staff):
    report = _submitted_report(appt)
    with on(date(2027, 2, 20)), pytest.raises(PolicyError, match="后方可验收结题"):
        services.term_report_accept(report=report, accepted_on=date(2027, 2, 20), note="", by=staff)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert (Completion.objects.count(), _project_state(appt)) == (0, ProjectState.APPOINTED)


def test_acceptance_waits_for_a_pending_extension(appt, staff):
    report = _submitted_report(appt)
    with on(date(2027, 2, 1)):
        services.extension_request_create(
            appointment=appt, months=3, reason="重大突破", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
    assert services.appointments_end_due(as_of=date(2027, 3, 5)) == []  # waits for the decision
    with on(date(2027, 3, 10)), pytest.raises(PolicyError, match="后方可验收结题"):
        services.term_report_accept(report=report, accepted_on=date(2027, 3, 10), note="", by=staff)
    assert Completion.objects.count() == 0


def test_acceptance_completes_the_project_in_one_transaction(appt, staff):
    report = _submitted_report(appt)
    services.appointments_end_due(as_of=date(2027, 3, 1))
    # the project cannot be completed (a state nobody should reach, forced here): nothing is written
    Project.objects.filter(pk=appt.project_id).update(state=ProjectState.TERMINATED)
    with on(date(2027, 3, 20)), pytest.raises(TransitionError):
        services.term_report_accept(report=report, accepted_on=date(2027, 3, 20), note="同意", by=staff)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert Completion.objects.count() == 0
    assert not AuditEvent.objects.filter(action="termreport.accepted").exists()
    Project.objects.filter(pk=appt.project_id).update(state=ProjectState.APPOINTED)
    with on(date(2027, 3, 20)):
        completion = services.term_report_accept(
            report=report, accepted_on=date(2027, 3, 20), note="同意", by=staff
        )
    assert _project_state(appt) == ProjectState.COMPLETED
    assert completion.accepted_on == date(2027, 3, 20)
    assert AuditEvent.objects.filter(action="completion.create", target_id=str(completion.pk)).count() == 1


def test_project_complete_needs_an_ended_term_and_staff(appt, staff):
    with pytest.raises(ProjectError, match="服务期届满后方可验收结题"):
        project_services.project_complete(project=appt.project, by=staff)
    services.appointments_end_due(as_of=date(2027, 3, 1))
    with pytest.raises(ProjectError, match="只有区科委工作人员"):
        project_services.project_complete(project=appt.project, by=tf.enterprise_user(appt))
    assert _project_state(appt) == ProjectState.APPOINTED


def test_terminated_term_ends_the_project_without_report_or_evaluation(appt, staff):
    tf.terminate(appt, staff)
    assert _project_state(appt) == ProjectState.TERMINATED
    with on(date(2026, 5, 13)), pytest.raises(PolicyError, match="无需提交期满总结报告"):
        services.term_report_save(
            appointment=appt, by=tf.enterprise_user(appt), summary="x", achievements="", results=RESULTS
        )
    with pytest.raises(PolicyError) as exc:
        services.evaluation_create(appointment=appt, reviewers=[pf.reviewer()], by=staff)
    assert str(exc.value) == (
        "服务期已提前终止：按实施意见，任职评价在服务期满后组织，提前终止的服务期不组织任职评价，可为专家开具任职证明"
    )
    assert (TermReport.objects.count(), Evaluation.objects.count()) == (0, 0)
    # the service certificate is still available
    assert services.service_certificate_issue(appointment=appt, by=tf.expert_user(appt)).serial


# --- forbidden actions on finished terms ----------------------------------------------------------------


def _finish(appt, staff, how):
    if how == "ended":
        services.appointments_end_due(as_of=date(2027, 3, 1))
    else:
        tf.terminate(appt, staff)


@pytest.mark.parametrize("how", ["ended", "terminated"])
@pytest.mark.parametrize("action", ["extend", "terminate", "end_again"])
def test_finished_terms_refuse_lifecycle_actions_and_change_nothing(appt, staff, how, action):
    _finish(appt, staff, how)
    appt.refresh_from_db()
    before = (appt.state, appt.end_date, appt.months, appt.terminated_on)
    with on(date(2027, 3, 2)):
        if action == "extend":
            with pytest.raises(PolicyError, match="已结束或已终止"):
                services.extension_request_create(
                    appointment=appt,
                    months=3,
                    reason="x",
                    evidence=tf.pdf_file(),
                    by=tf.enterprise_user(appt),
                )
        elif action == "terminate":
            with pytest.raises(PolicyError, match="只能终止在聘的服务期"):
                services.appointment_terminate(
                    appointment=appt, terminated_on=date(2026, 6, 1), reason="再次终止", by=staff
                )
        else:
            assert services.appointments_end_due(as_of=date(2027, 3, 2)) == []
    appt.refresh_from_db()
    assert (appt.state, appt.end_date, appt.months, appt.terminated_on) == before
    assert ExtensionRequest.objects.count() == 0
    assert Termination.objects.count() == (1 if how == "terminated" else 0)
    assert appt.transitions.count() == 2  # created, then ended or terminated


def test_staff_panel_counts_ended_terms_awaiting_completion(appt, staff):
    from terms.navigation import _commission_panel

    assert _commission_panel(staff)["awaiting_completion"] == 0
    report = _submitted_report(appt)
    services.appointments_end_due(as_of=date(2027, 3, 1))
    assert _commission_panel(staff)["awaiting_completion"] == 1
    with on(date(2027, 3, 20)):
        services.term_report_accept(report=report, accepted_on=date(2027, 3, 20), note="", by=staff)
    assert _commission_panel(staff)["awaiting_completion"] == 0
