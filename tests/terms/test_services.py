"""The service-term lifecycle through the services: extension, termination, term end, co-management,
support services, the term-end report and completion (结题), every transition and the forbidden ones."""

from datetime import date

import pytest
from django.core import mail

from core.exceptions import PolicyError
from core.models import AuditEvent, Notification
from core.workflow import TransitionError
from projects.enums import AppointmentState, ProjectState
from projects.models import Appointment
from terms import selectors, services
from terms.enums import (
    Beneficiary,
    ContactForm,
    ExtensionState,
    MedicalService,
    ReportState,
    SupportKind,
    SupportState,
)
from terms.exceptions import TermsError
from terms.models import Completion, ExtensionRequest, SupportRequest, TermReport
from tests.factories import terms as tf
from tests.factories.terms import on

pytestmark = pytest.mark.django_db


# --- extension ----------------------------------------------------------------------------------------


def test_extension_approved_moves_end_date_and_months(appt, staff):
    ent = tf.enterprise_user(appt)
    with on(date(2026, 12, 1)):
        req = services.extension_request_create(
            appointment=appt, months=6, reason="完成抗体中试，需延长验证", evidence=tf.pdf_file(), by=ent
        )
        assert (req.state, req.previous_end_date) == (ExtensionState.SUBMITTED, date(2027, 2, 28))
        req = services.extension_request_decide(request=req, approve=True, note="同意延长", by=staff)
    appt.refresh_from_db()
    assert (appt.months, appt.end_date) == (30, date(2027, 8, 31))
    assert (req.state, req.new_end_date, req.decided_by) == (
        ExtensionState.APPROVED,
        date(2027, 8, 31),
        staff,
    )
    assert [t.to_state for t in req.transitions.order_by("id")] == ["submitted", "approved"]
    event = AuditEvent.objects.get(action="appointment.extend")
    assert event.target_id == str(appt.pk) and event.data == {"months": 30, "end_date": "2027-08-31"}
    titles = set(Notification.objects.filter(recipient=tf.expert_user(appt)).values_list("title", flat=True))
    assert "服务期延期申请已批准，届满日期调整为2027年08月31日" in titles


def test_extension_refused_needs_reason_and_changes_nothing(appt, staff):
    with on(date(2026, 12, 1)):
        req = services.extension_request_create(
            appointment=appt, months=3, reason="突破", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
        with pytest.raises(TermsError, match="不予批准时请填写理由"):
            services.extension_request_decide(request=req, approve=False, note=" ", by=staff)
        req = services.extension_request_decide(request=req, approve=False, note="成果证明不足", by=staff)
    appt.refresh_from_db()
    assert (req.state, appt.months, appt.end_date) == (ExtensionState.REFUSED, 24, date(2027, 2, 28))
    with pytest.raises(TransitionError):
        services.extension_request_decide(request=req, approve=True, note="", by=staff)


@pytest.mark.parametrize(
    ("months", "day", "message"),
    [
        (13, date(2026, 12, 1), "1至12之间的整月数"),
        (0, date(2026, 12, 1), "1至12之间的整月数"),
        (6, date(2027, 3, 1), "届满，不能再申请延期"),
    ],
)
def test_extension_bad_input_creates_nothing(appt, months, day, message):
    with on(day), pytest.raises(PolicyError, match=message):
        services.extension_request_create(
            appointment=appt,
            months=months,
            reason="理由",
            evidence=tf.pdf_file(),
            by=tf.enterprise_user(appt),
        )
    assert ExtensionRequest.objects.count() == 0


def test_extension_on_ended_appointment_is_refused(appt):
    with on(date(2027, 3, 1)):
        services.appointments_end_due()
    with on(date(2027, 3, 2)), pytest.raises(PolicyError, match="已结束或已终止"):
        services.extension_request_create(
            appointment=appt, months=6, reason="理由", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
    assert ExtensionRequest.objects.count() == 0


def test_second_pending_extension_refused(appt):
    ent = tf.enterprise_user(appt)
    with on(date(2026, 12, 1)):
        services.extension_request_create(
            appointment=appt, months=6, reason="理由", evidence=tf.pdf_file(), by=ent
        )
        with pytest.raises(TermsError, match="已有待审核的延期申请"):
            services.extension_request_create(
                appointment=appt, months=3, reason="理由", evidence=tf.pdf_file(), by=ent
            )
    assert ExtensionRequest.objects.count() == 1


def test_extension_withdrawn(appt):
    with on(date(2026, 12, 1)):
        req = services.extension_request_create(
            appointment=appt, months=6, reason="理由", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
    req = services.extension_request_withdraw(request=req, by=tf.enterprise_user(appt))
    assert req.state == ExtensionState.WITHDRAWN


# --- termination and term end --------------------------------------------------------------------------


def test_terminate_records_date_reason_and_ends_project(appt, staff):
    tf.terminate(appt, staff, reason="企业经营调整，双方协商一致")
    appt.refresh_from_db()
    assert (appt.state, appt.terminated_on) == (AppointmentState.TERMINATED, date(2026, 5, 10))
    assert appt.termination.reason == "企业经营调整，双方协商一致"
    assert appt.project.state == ProjectState.TERMINATED
    assert [t.to_state for t in appt.transitions.order_by("id")] == ["active", "terminated"]


@pytest.mark.parametrize(
    ("terminated_on", "reason", "message"),
    [
        (date(2025, 2, 28), "原因", "不能早于服务期开始日期"),
        (date(2026, 5, 13), "原因", "不能晚于今天"),
        (date(2026, 5, 10), "", "请填写提前终止的原因"),
    ],
)
def test_terminate_bad_input_changes_nothing(appt, staff, terminated_on, reason, message):
    with on(date(2026, 5, 12)), pytest.raises(PolicyError, match=message):
        services.appointment_terminate(appointment=appt, terminated_on=terminated_on, reason=reason, by=staff)
    appt.refresh_from_db()
    assert appt.state == AppointmentState.ACTIVE and appt.terminated_on is None


def test_terminate_twice_refused(appt, staff):
    tf.terminate(appt, staff)
    with on(date(2026, 5, 12)), pytest.raises(PolicyError, match="只能终止在聘的服务期"):
        services.appointment_terminate(
            appointment=appt, terminated_on=date(2026, 5, 11), reason="原因", by=staff
        )


def test_terminate_withdraws_pending_extension(appt, staff):
    with on(date(2026, 12, 1)):
        req = services.extension_request_create(
            appointment=appt, months=6, reason="理由", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
        services.appointment_terminate(
            appointment=appt, terminated_on=date(2026, 11, 30), reason="原因", by=staff
        )
    req.refresh_from_db()
    assert req.state == ExtensionState.WITHDRAWN


def test_end_job_ends_only_terms_past_their_last_day_and_is_idempotent(media):
    due = tf.appointment(start=date(2025, 3, 1))
    later = tf.appointment(start=date(2025, 3, 2))
    assert services.appointments_end_due(as_of=date(2027, 2, 28)) == []
    assert services.appointments_end_due(as_of=date(2027, 3, 1)) == [due.pk]
    assert services.appointments_end_due(as_of=date(2027, 3, 1)) == []
    states = dict(Appointment.objects.values_list("pk", "state"))
    assert states == {due.pk: AppointmentState.ENDED, later.pk: AppointmentState.ACTIVE}


def test_end_job_waits_for_pending_extension_then_follows_new_end(appt, staff):
    with on(date(2027, 2, 20)):
        req = services.extension_request_create(
            appointment=appt, months=6, reason="理由", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
    assert services.appointments_end_due(as_of=date(2027, 3, 1)) == []
    with on(date(2027, 3, 2)):
        services.extension_request_decide(request=req, approve=True, note="", by=staff)
    assert services.appointments_end_due(as_of=date(2027, 8, 31)) == []
    assert services.appointments_end_due(as_of=date(2027, 9, 1)) == [appt.pk]


# --- co-management and contacts -------------------------------------------------------------------------


def test_comanagement_record_requires_a_topic(appt, staff):
    kwargs = {
        "held_on": date(2025, 6, 1),
        "form": ContactForm.VISIT,
        "participants": "王晓峰、陈思远",
        "summary": "了解研发进展",
        "topic_work": True,
        "topic_thoughts": False,
        "topic_life": False,
    }
    record = services.comanagement_record_create(appointment=appt, by=staff, **kwargs)
    assert record.topic_labels == ["工作"]
    with pytest.raises(TermsError, match="思想、工作或生活"):
        services.comanagement_record_create(appointment=appt, by=staff, **{**kwargs, "topic_work": False})
    with pytest.raises(TermsError, match="不能早于服务期开始日期"):
        services.comanagement_record_create(
            appointment=appt, by=staff, **{**kwargs, "held_on": date(2025, 1, 1)}
        )
    assert appt.comanagement_records.count() == 1


def test_contact_create_and_delete(appt, staff):
    contact = services.contact_create(
        appointment=appt, by=staff, side="enterprise", name="陈思远", position="总经理", phone="13800000000"
    )
    assert list(appt.contacts.values_list("name", flat=True)) == ["陈思远"]
    services.contact_delete(contact=contact, by=staff)
    assert appt.contacts.count() == 0


# --- support services ---------------------------------------------------------------------------------


def test_medical_request_submitted_arranged_closed(appt, staff):
    expert = tf.expert_user(appt)
    req = services.support_request_create(
        appointment=appt,
        kind=SupportKind.MEDICAL,
        by=expert,
        medical_service=MedicalService.CONSULTATION,
        beneficiary=Beneficiary.SPOUSE,
        beneficiary_name="李华",
        description="配偶需心内科专家会诊",
    )
    assert req.service_label == "专家会诊（配偶）"
    req = services.support_request_transition(
        request=req, to=SupportState.ARRANGED, by=staff, note="已协调北大国际医院心内科，6月3日上午"
    )
    req = services.support_request_transition(request=req, to=SupportState.CLOSED, by=staff, note="已就诊")
    assert [t.to_state for t in req.transitions.order_by("id")] == ["submitted", "arranged", "closed"]
    assert Notification.objects.filter(recipient=expert, title__contains="已安排").count() == 1
    with pytest.raises(TransitionError, match="不能变更为"):
        services.support_request_transition(request=req, to=SupportState.ARRANGED, by=staff, note="再次安排")


def test_housing_request_rules(appt):
    expert = tf.expert_user(appt)
    common = {"appointment": appt, "kind": SupportKind.HOUSING, "by": expert, "description": "需一居室"}
    with pytest.raises(PolicyError, match="无自有住房的科技副总"):
        services.support_request_create(
            **common, owns_housing_in_changping=True, declared=True, evidence=tf.pdf_file()
        )
    with pytest.raises(PolicyError, match="请勾选并确认"):
        services.support_request_create(**common, declared=False, evidence=tf.pdf_file())
    with pytest.raises(TermsError, match="请上传证明材料"):
        services.support_request_create(**common, declared=True)
    req = services.support_request_create(**common, declared=True, evidence=tf.pdf_file())
    assert (req.no_own_housing_declared, req.state, bool(req.evidence)) == (
        True,
        SupportState.SUBMITTED,
        True,
    )
    assert SupportRequest.objects.count() == 1


def test_medical_request_for_a_parent_refused(appt):
    with pytest.raises(PolicyError, match="配偶、子女"):
        tf.medical_request(appt, MedicalService.REFERRAL, "parent", "父亲转诊")


def test_support_only_during_term(appt, staff):
    tf.terminate(appt, staff)
    with pytest.raises(TermsError, match="仅在服务期内"):
        tf.medical_request(appt, MedicalService.GREEN_CHANNEL, Beneficiary.SELF, "体检")


# --- report and completion ------------------------------------------------------------------------------

RESULTS = [
    {"indicator": "申请发明专利2项", "target": "2项", "achieved": "已申请3项，授权1项", "met": True},
    {"indicator": "完成中试", "target": "1批", "achieved": "完成2批中试", "met": True},
]


def _report(appt, day=date(2027, 1, 10)):
    with on(day):
        return services.term_report_save(
            appointment=appt,
            by=tf.enterprise_user(appt),
            summary="两年工作总结",
            achievements="抗体平台建成",
            results=RESULTS,
        )


def test_report_drafted_confirmed_accepted_completes_project(appt, staff):
    report = _report(appt)
    assert list(report.results.values_list("indicator", "met")) == [
        ("申请发明专利2项", True),
        ("完成中试", True),
    ]
    services.term_report_submit(report=report, by=tf.enterprise_user(appt))
    services.term_report_confirm(report=report, by=tf.expert_user(appt))
    # the term ending leaves the project appointed (still live) until the report is accepted
    assert services.appointments_end_due(as_of=date(2027, 3, 1)) == [appt.pk]
    appt.project.refresh_from_db()
    assert appt.project.state == ProjectState.APPOINTED
    with on(date(2027, 3, 20)):
        completion = services.term_report_accept(
            report=report, accepted_on=date(2027, 3, 20), note="同意结题", by=staff
        )
    appt.project.refresh_from_db()
    assert appt.project.state == ProjectState.COMPLETED
    step = appt.project.transitions.get(to_state=ProjectState.COMPLETED)
    assert (step.from_state, step.actor, step.reason) == (ProjectState.APPOINTED, staff, "同意结题")
    assert AuditEvent.objects.filter(action="project.completed", target_id=str(appt.project.pk)).count() == 1
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.confirmed_by == tf.expert_user(appt)
    assert [t.to_state for t in report.transitions.order_by("id")] == [
        "awaiting_expert",
        "submitted",
        "accepted",
    ]
    assert (completion.project, completion.accepted_on) == (appt.project, date(2027, 3, 20))
    assert list(selectors.completed_projects(2027)) == [completion]
    assert list(selectors.completed_projects(2026)) == []


def test_report_returned_by_expert_and_staff(appt, staff):
    report = _report(appt)
    services.term_report_submit(report=report, by=tf.enterprise_user(appt))
    with pytest.raises(TermsError, match="退回时请填写理由"):
        services.term_report_return(report=report, reason="", by=tf.expert_user(appt))
    services.term_report_return(report=report, reason="成果数据需更新", by=tf.expert_user(appt))
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    _report(appt)  # editable again
    services.term_report_submit(report=report, by=tf.enterprise_user(appt))
    services.term_report_confirm(report=report, by=tf.expert_user(appt))
    services.term_report_return(report=report, reason="请补充附件", by=staff)
    report.refresh_from_db()
    assert (report.state, report.confirmed_by) == (ReportState.DRAFT, None)


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "confirm"),
        ([], "accept"),
        (["submit"], "accept"),
        (["submit", "confirm"], "submit"),
    ],
)
def test_report_forbidden_transitions(appt, staff, steps, action):
    report = _report(appt)
    ent, exp = tf.enterprise_user(appt), tf.expert_user(appt)
    calls = {
        "submit": lambda: services.term_report_submit(report=report, by=ent),
        "confirm": lambda: services.term_report_confirm(report=report, by=exp),
        "accept": lambda: services.term_report_accept(
            report=report, accepted_on=date(2027, 3, 10), note="", by=staff
        ),
    }
    for step in steps:
        calls[step]()
    services.appointments_end_due(as_of=date(2027, 3, 1))
    before = TermReport.objects.get(pk=report.pk).state
    with on(date(2027, 3, 20)), pytest.raises(TransitionError):
        calls[action]()
    assert TermReport.objects.get(pk=report.pk).state == before
    assert Completion.objects.count() == 0


def test_report_not_editable_after_submission_and_not_before_window(appt):
    with on(date(2026, 11, 29)), pytest.raises(PolicyError, match="2026年11月30日起"):
        services.term_report_save(
            appointment=appt, by=tf.enterprise_user(appt), summary="x", achievements="", results=RESULTS
        )
    report = _report(appt)
    services.term_report_submit(report=report, by=tf.enterprise_user(appt))
    with pytest.raises(TermsError, match="不能修改"):
        _report(appt)


def test_report_requires_results_for_each_indicator(appt):
    with on(date(2027, 1, 10)), pytest.raises(TermsError, match="每项考核指标都需填写完成情况"):
        services.term_report_save(
            appointment=appt,
            by=tf.enterprise_user(appt),
            summary="总结",
            achievements="",
            results=[{"indicator": "专利", "achieved": ""}],
        )
    assert TermReport.objects.count() == 0


def test_notifications_are_emailed_after_commit(appt, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), on(date(2026, 12, 1)):
        services.extension_request_create(
            appointment=appt, months=6, reason="理由", evidence=tf.pdf_file(), by=tf.enterprise_user(appt)
        )
    staff_emails = sorted(u.email for u in selectors.staff_users())
    assert staff.email in staff_emails and len(staff_emails) == 2  # the test's and the factory's
    assert sorted(m.to[0] for m in mail.outbox) == staff_emails
    assert "新的服务期延期申请" in mail.outbox[0].subject
