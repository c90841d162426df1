"""Management pages added for issue 6's gaps: editing an appointment's contacts, closing a co-management
follow-up, withdrawing a support request, the explicit refusal of an evaluation for a terminated term,
and the issue's "bad input" list through the pages (clear message, nothing changed)."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import AuditEvent, Notification
from projects.enums import ProjectState
from terms import services
from terms.enums import Beneficiary, ContactForm, ContactSide, MedicalService, SupportState
from terms.exceptions import TermsError
from terms.models import (
    AppointmentContact,
    CoManagementRecord,
    Evaluation,
    ExtensionRequest,
    SupportRequest,
    TermReport,
)
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login
from tests.factories.terms import on

pytestmark = pytest.mark.django_db


def _contact(appt, staff):
    return services.contact_create(
        appointment=appt,
        by=staff,
        side=ContactSide.ENTERPRISE,
        name="陈思远",
        position="总经理",
        phone="010-80112233",
    )


# --- contacts ------------------------------------------------------------------------------------------


def test_staff_edit_a_contact_and_the_change_is_audited(client, two, staff):
    mine, other = two
    contact = _contact(mine, staff)
    otp_login(client, staff)
    url = reverse("terms:contact-update", args=[mine.pk, contact.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["name"] == "陈思远"
    page = client.post(
        url,
        {
            "side": ContactSide.ENTERPRISE,
            "name": "陈思远",
            "position": "董事长",
            "phone": "13800001111",
            "email": "",
        },
    )
    assert page.status_code == 302
    contact.refresh_from_db()
    assert (contact.position, contact.phone) == ("董事长", "13800001111")
    event = AuditEvent.objects.get(action="contact.update")
    # the audit log keeps the change of number masked (SPEC §7)
    assert event.data == {"position": ["总经理", "董事长"], "phone": ["010*****2233", "138****1111"]}
    # a contact of another appointment through this one's URL is a 404
    foreign = _contact(other, staff)
    assert client.get(reverse("terms:contact-update", args=[mine.pk, foreign.pk])).status_code == 404


def test_contact_edit_bad_phone_keeps_input_and_changes_nothing(client, two, staff):
    mine, _ = two
    contact = _contact(mine, staff)
    otp_login(client, staff)
    page = client.post(
        reverse("terms:contact-update", args=[mine.pk, contact.pk]),
        {"side": ContactSide.ENTERPRISE, "name": "陈思远改", "position": "", "phone": "abc", "email": ""},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "请输入有效的电话号码" in body and "陈思远改" in body
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == ("陈思远", "010-80112233")


def test_contact_edit_is_staff_only(client, two, staff):
    mine, _ = two
    contact = _contact(mine, staff)
    otp_login(client, tf.enterprise_user(mine))
    url = reverse("terms:contact-update", args=[mine.pk, contact.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"side": "enterprise", "name": "x", "phone": "13800001111"}).status_code == 404
    assert AppointmentContact.objects.get(pk=contact.pk).name == "陈思远"


# --- co-management follow-up ---------------------------------------------------------------------------


def _record(appt, staff, follow_up="协调中试基地场地"):
    with on(date(2025, 7, 1)):
        return services.comanagement_record_create(
            appointment=appt,
            by=staff,
            held_on=date(2025, 6, 20),
            form=ContactForm.VISIT,
            participants="区科委；企业",
            topic_thoughts=False,
            topic_work=True,
            topic_life=False,
            summary="走访",
            follow_up=follow_up,
        )


def test_staff_close_a_follow_up_from_the_page(client, two, staff):
    mine, _ = two
    record = _record(mine, staff)
    otp_login(client, staff)
    detail = client.get(reverse("terms:appointment-detail", args=[mine.pk])).content.decode()
    url = reverse("terms:comanagement-follow-up-done", args=[mine.pk, record.pk])
    assert url in detail and "标记已办结" in detail
    assert client.post(url).status_code == 302
    record.refresh_from_db()
    assert record.follow_up_done is True
    assert (
        AuditEvent.objects.filter(action="comanagement.follow_up_done", target_id=str(record.pk)).count() == 1
    )
    page = client.post(url, follow=True)
    assert "该后续事项已办结" in page.content.decode()
    assert AuditEvent.objects.filter(action="comanagement.follow_up_done").count() == 1
    detail = client.get(reverse("terms:appointment-detail", args=[mine.pk])).content.decode()
    assert url not in detail


def test_follow_up_done_refused_without_follow_up_and_for_others(client, two, staff):
    mine, other = two
    with pytest.raises(TermsError, match="没有后续事项"):
        services.comanagement_follow_up_done(record=_record(mine, staff, follow_up=""), by=staff)
    record = _record(other, staff)
    otp_login(client, tf.enterprise_user(other))
    assert (
        client.post(reverse("terms:comanagement-follow-up-done", args=[other.pk, record.pk])).status_code
        == 404
    )
    otp_login(client, staff)
    # a record of another appointment through this one's URL
    assert (
        client.post(reverse("terms:comanagement-follow-up-done", args=[mine.pk, record.pk])).status_code
        == 404
    )
    assert CoManagementRecord.objects.get(pk=record.pk).follow_up_done is False


# --- support request withdrawal ------------------------------------------------------------------------


def _medical(appt, by):
    return tf.medical_request(appt, MedicalService.GREEN_CHANNEL, Beneficiary.SELF, "体检绿色通道", by=by)


def test_expert_withdraws_a_submitted_request_on_the_page(client, two, staff):
    mine, _ = two
    support = _medical(mine, tf.expert_user(mine))
    otp_login(client, tf.expert_user(mine))
    detail = client.get(reverse("terms:support-detail", args=[support.pk]))
    assert detail.context["can_withdraw"] is True
    page = client.post(reverse("terms:support-withdraw", args=[support.pk]), {"reason": "已自行就医"})
    assert page.status_code == 302
    support.refresh_from_db()
    assert support.state == SupportState.WITHDRAWN
    step = support.transitions.get(to_state=SupportState.WITHDRAWN)
    assert (step.from_state, step.actor, step.reason) == (
        SupportState.SUBMITTED,
        tf.expert_user(mine),
        "已自行就医",
    )
    assert AuditEvent.objects.filter(action="supportrequest.withdrawn", target_id=str(support.pk)).exists()
    assert Notification.objects.filter(recipient=staff, title__startswith="服务保障申请已撤回").exists()
    # withdrawn is final: staff cannot arrange it, and the expert cannot withdraw it twice
    with pytest.raises(ValueError):
        services.support_request_transition(request=support, to=SupportState.ARRANGED, by=staff, note="安排")
    page = client.post(reverse("terms:support-withdraw", args=[support.pk]), follow=True)
    assert "只能撤回尚未办理的申请" in page.content.decode()


def test_withdrawal_refused_once_arranged_and_for_others(client, two, staff):
    mine, other = two
    support = _medical(mine, tf.expert_user(mine))
    # staff cannot use their handling form to withdraw on the expert's behalf
    with pytest.raises(TermsError, match="已安排或已办结"):
        services.support_request_transition(request=support, to=SupportState.WITHDRAWN, by=staff, note="x")
    # another commission user who did not submit it cannot withdraw it either
    with pytest.raises(TermsError, match="只有申请人或科技副总本人"):
        services.support_request_withdraw(request=support, by=staff)
    # the other appointment's expert gets a 404
    otp_login(client, tf.expert_user(other))
    assert client.post(reverse("terms:support-withdraw", args=[support.pk])).status_code == 404
    services.support_request_transition(request=support, to=SupportState.ARRANGED, by=staff, note="已安排")
    with pytest.raises(TermsError, match="只能撤回尚未办理的申请"):
        services.support_request_withdraw(request=support, by=tf.expert_user(mine))
    assert SupportRequest.objects.get(pk=support.pk).state == SupportState.ARRANGED


def test_staff_who_submitted_on_behalf_may_withdraw(two, staff):
    mine, _ = two
    support = _medical(mine, staff)
    services.support_request_withdraw(request=support, by=staff, reason="专家电话告知不再需要")
    assert SupportRequest.objects.get(pk=support.pk).state == SupportState.WITHDRAWN


# --- terminated terms get no evaluation -----------------------------------------------------------------


def test_evaluation_page_for_a_terminated_term_explains_the_refusal(client, two, staff):
    mine, _ = two
    tf.terminate(mine, staff)
    otp_login(client, staff)
    detail = client.get(reverse("terms:appointment-detail", args=[mine.pk])).content.decode()
    assert "提前终止的服务期不组织任职评价" in detail
    assert reverse("terms:evaluation-create", args=[mine.pk]) not in detail
    page = client.post(reverse("terms:evaluation-create", args=[mine.pk]), {"reviewers": [pf.reviewer().pk]})
    assert page.status_code == 200 and "提前终止的服务期不组织任职评价" in page.content.decode()
    assert Evaluation.objects.count() == 0
    # The term's lists show its last day served, not the end it never reached.
    mine.refresh_from_db()
    listed = client.get(reverse("terms:appointment-list")).content.decode()
    assert "2026-05-10" in listed
    assert f"（提前终止，原定至 {mine.end_date:%Y-%m-%d}）" in listed


# --- the bad-input list through the pages -------------------------------------------------------


def test_extension_page_on_an_ended_term_refuses_and_creates_nothing(client, two):
    mine, _ = two
    services.appointments_end_due(as_of=date(2027, 3, 1))
    with on(date(2027, 3, 2)):
        page = tf.post_extension_request(client, mine, months=6, reason="中试突破")
    body = page.content.decode()
    assert page.status_code == 200 and "该服务期已结束或已终止，不能申请延期" in body and "中试突破" in body
    assert ExtensionRequest.objects.count() == 0


def test_report_pages_of_someone_elses_appointment_are_404_and_change_nothing(client, two, staff):
    mine, other = two
    with on(date(2027, 5, 1)):
        report = tf.submitted_report(other)
        data = {"summary": "篡改", "results-TOTAL_FORMS": 0, "results-INITIAL_FORMS": 0}
        otp_login(client, tf.enterprise_user(mine))
        assert client.post(reverse("terms:report-edit", args=[other.pk]), data).status_code == 404
        assert client.get(reverse("terms:report-attachment", args=[other.pk])).status_code == 404
        otp_login(client, tf.expert_user(mine))
        assert client.post(reverse("terms:report-confirm", args=[other.pk])).status_code == 404
        assert (
            client.post(
                reverse("terms:report-return", args=[other.pk]), {"reason": "x"}
            ).status_code
            == 404
        )
    report = TermReport.objects.get(pk=report.pk)
    assert (report.state, report.summary, report.transitions.count()) == ("awaiting_expert", "总结", 1)


def test_staff_accept_on_the_page_only_after_the_term_ended(client, two, staff):
    mine, _ = two
    with on(date(2027, 1, 10)):
        tf.submitted_report(mine, confirmed=True)
    url = reverse("terms:report-accept", args=[mine.pk])
    with on(date(2027, 2, 20)):
        otp_login(client, pf.commission())  # created on the day: the password-age rule holds
        assert url not in client.get(reverse("terms:appointment-detail", args=[mine.pk])).content.decode()
        page = client.post(url, {"accepted_on": "2027-02-20", "note": ""}, follow=True)
        assert "后方可验收结题" in page.content.decode()
    services.appointments_end_due(as_of=date(2027, 3, 1))
    with on(date(2027, 3, 20)):
        otp_login(client, pf.commission())
        detail = client.get(reverse("terms:appointment-detail", args=[mine.pk])).content.decode()
        assert url in detail and "合作项目待结题" in detail
        client.post(url, {"accepted_on": "2027-03-20", "note": "同意结题"})
    mine.project.refresh_from_db()
    assert mine.project.state == ProjectState.COMPLETED


def test_finalise_page_with_a_grade_outside_the_scale_changes_nothing(client, media, staff):
    appt = tf.appointment(start=date(2024, 1, 1))
    services.appointments_end_due(as_of=date(2026, 1, 1))
    reviewer = pf.reviewer()
    evaluation = services.evaluation_create(appointment=appt, reviewers=[reviewer], by=staff)
    services.evaluation_open(evaluation=evaluation, by=staff)
    member = evaluation.members.get()
    services.panel_grade_submit(member=member, grade="good", opinion="良好", by=reviewer.user)
    otp_login(client, staff)
    page = client.post(
        reverse("terms:evaluation-finalise", args=[evaluation.pk]),
        {"grade": "superb", "opinion": "合作成效显著", "override_reason": ""},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "评价等级须为优秀、良好、合格或不合格" in body
    assert "合作成效显著" in body
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.grade) == ("grading", "")
