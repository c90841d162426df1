"""Pages per role: object-level access (a foreign record is a 404), list filters and query guards, bad
input that keeps what the user typed."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.enums import Role
from projects.enums import AppointmentState
from terms import services
from terms.enums import Beneficiary, ExtensionState, Grade, MedicalService, SupportKind
from terms.models import ExtensionRequest, SupportRequest
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.terms import on

pytestmark = pytest.mark.django_db


def _login(client, user):
    otp_login(client, user)  # staff-side roles need the second factor; harmless for the others
    return client


def test_staff_list_shows_all_with_filters_and_bounded_queries(client, two, django_assert_max_num_queries):
    mine, other = two
    staff = pf.commission()
    _login(client, staff)
    for _ in range(5):
        tf.appointment(start=date(2025, 9, 1))
    with django_assert_max_num_queries(15):  # session, OTP and role checks included; no per-row query
        page = client.get(reverse("terms:appointment-list"))
    assert page.status_code == 200
    assert len(page.context["appointments"]) == 7
    with on(date(2027, 1, 1)):
        _login(client, staff)
        page = client.get(reverse("terms:appointment-list"), {"ending_within": 90})
    assert [a.pk for a in page.context["appointments"]] == [mine.pk]
    page = client.get(reverse("terms:appointment-list"), {"enterprise": other.enterprise_id})
    assert [a.pk for a in page.context["appointments"]] == [other.pk]
    page = client.get(reverse("terms:appointment-list"), {"institution": mine.expert.institution_id})
    assert [a.pk for a in page.context["appointments"]] == [mine.pk]
    page = client.get(reverse("terms:appointment-list"), {"state": AppointmentState.ENDED})
    assert list(page.context["appointments"]) == []
    page = client.get(reverse("terms:appointment-list"), {"industry": mine.enterprise.industry_id})
    assert len(page.context["appointments"]) == 7


@pytest.mark.parametrize("who", ["enterprise", "expert", "nominator"])
def test_parties_see_only_their_appointment(client, two, who):
    mine, other = two
    user = {"enterprise": tf.enterprise_user, "expert": tf.expert_user, "nominator": tf.nominator}[who](mine)
    _login(client, user)
    page = client.get(reverse("terms:appointment-list"))
    assert [a.pk for a in page.context["appointments"]] == [mine.pk]
    assert client.get(reverse("terms:appointment-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("terms:appointment-detail", args=[other.pk])).status_code == 404


def test_detail_shows_timeline_and_hides_comanagement_from_parties(client, two):
    mine, _ = two
    staff = pf.commission()
    services.comanagement_record_create(
        appointment=mine,
        by=staff,
        held_on=date(2025, 6, 1),
        form="visit",
        participants="王晓峰",
        topic_thoughts=True,
        topic_work=False,
        topic_life=True,
        summary="思想稳定，家属随迁有困难",
    )
    with on(date(2026, 3, 15)):
        page = _login(client, tf.enterprise_user(mine)).get(
            reverse("terms:appointment-detail", args=[mine.pk])
        )
    body = page.content.decode()
    assert page.context["timeline"].months_served == 12 and "12 / 24 个月" in body
    assert "家属随迁有困难" not in body
    page = _login(client, staff).get(reverse("terms:appointment-detail", args=[mine.pk]))
    assert "家属随迁有困难" in page.content.decode()


def test_reviewer_and_strangers_get_404(client, two):
    mine, _ = two
    for user in (UserFactory(roles=[Role.REVIEWER]), UserFactory(roles=[Role.ENTERPRISE]), UserFactory()):
        _login(client, user)
        assert client.get(reverse("terms:appointment-detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("terms:appointment-list")).status_code == 404


def test_extension_form_bad_input_keeps_what_was_typed(client, two):
    mine, _ = two
    with on(date(2026, 12, 1)):
        page = tf.post_extension_request(client, mine, months=13, reason="完成临床前研究")
    assert page.status_code == 200
    assert "延期月数须为1至12之间的整月数" in page.content.decode()
    assert "完成临床前研究" in page.content.decode()
    assert ExtensionRequest.objects.count() == 0


def test_extension_request_and_staff_decision_through_pages(client, two):
    mine, _ = two
    with on(date(2026, 12, 1)):
        page = tf.post_extension_request(client, mine, months=6, reason="取得重大突破")
        assert page.status_code == 302
        ext = ExtensionRequest.objects.get()
        assert client.get(reverse("terms:extension-evidence", args=[ext.pk])).status_code == 200
        # the enterprise cannot decide; staff can
        assert (
            client.post(reverse("terms:extension-decide", args=[ext.pk]), {"decision": "approve"}).status_code
            == 404
        )
        _login(client, pf.commission())
        client.post(reverse("terms:extension-decide", args=[ext.pk]), {"decision": "approve", "note": "同意"})
    ext.refresh_from_db()
    mine.refresh_from_db()
    assert (ext.state, mine.end_date) == (ExtensionState.APPROVED, date(2027, 8, 31))


def test_extension_evidence_of_another_enterprise_is_404(client, two, media):
    mine, other = two
    with on(date(2026, 12, 1)):
        ext = services.extension_request_create(
            appointment=other, months=3, reason="r", evidence=tf.pdf_file(), by=tf.enterprise_user(other)
        )
    _login(client, tf.enterprise_user(mine))
    assert client.get(reverse("terms:extension-evidence", args=[ext.pk])).status_code == 404


def test_terminate_page_staff_only_and_date_before_start(client, two):
    mine, _ = two
    _login(client, tf.enterprise_user(mine))
    assert client.get(reverse("terms:appointment-terminate", args=[mine.pk])).status_code == 404
    _login(client, pf.commission())
    page = client.post(
        reverse("terms:appointment-terminate", args=[mine.pk]),
        {"terminated_on": "2025-01-01", "reason": "企业注销"},
    )
    assert "终止日期不能早于服务期开始日期（2025年03月01日）" in page.content.decode()
    assert "企业注销" in page.content.decode()
    mine.refresh_from_db()
    assert mine.state == AppointmentState.ACTIVE


def test_support_is_private_to_expert_and_staff(client, two):
    mine, other = two
    _login(client, tf.expert_user(mine))
    page = client.post(
        reverse("terms:support-create", args=[mine.pk, "medical"]),
        {
            "medical_service": MedicalService.GREEN_CHANNEL,
            "beneficiary": Beneficiary.CHILD,
            "beneficiary_name": "",
            "description": "孩子需儿科就诊",
        },
    )
    assert "请填写就医人（配偶或子女）的姓名" in page.content.decode()
    assert "孩子需儿科就诊" in page.content.decode()
    client.post(
        reverse("terms:support-create", args=[mine.pk, "medical"]),
        {
            "medical_service": MedicalService.GREEN_CHANNEL,
            "beneficiary": Beneficiary.CHILD,
            "beneficiary_name": "张小明",
            "description": "孩子需儿科就诊",
        },
    )
    support = SupportRequest.objects.get()
    assert client.get(reverse("terms:support-detail", args=[support.pk])).status_code == 200
    for user in (tf.enterprise_user(mine), tf.expert_user(other), tf.nominator(mine)):
        _login(client, user)
        assert client.get(reverse("terms:support-detail", args=[support.pk])).status_code == 404
    _login(client, pf.commission())
    client.post(
        reverse("terms:support-detail", args=[support.pk]),
        {"to": "arranged", "note": "已协调北京大学第三医院"},
    )
    support.refresh_from_db()
    assert (support.state, support.arrangement) == ("arranged", "已协调北京大学第三医院")


def test_housing_request_page_with_declaration_and_evidence(client, two):
    mine, _ = two
    _login(client, tf.expert_user(mine))
    page = client.post(
        reverse("terms:support-create", args=[mine.pk, "housing"]),
        {"description": "一居室，近未来科学城", "evidence": tf.pdf_file()},
    )
    assert "请勾选并确认" in page.content.decode()
    client.post(
        reverse("terms:support-create", args=[mine.pk, "housing"]),
        {"description": "一居室，近未来科学城", "declared": "on", "evidence": tf.pdf_file()},
    )
    support = SupportRequest.objects.get()
    assert support.kind == SupportKind.HOUSING
    assert client.get(reverse("terms:support-evidence", args=[support.pk])).status_code == 200


def test_support_list_query_guard(client, two, django_assert_max_num_queries):
    mine, other = two
    for appt in (mine, other):
        for _ in range(3):
            tf.medical_request(appt, MedicalService.HOSPITAL, Beneficiary.SELF, "就诊")
    _login(client, pf.commission())
    with django_assert_max_num_queries(10):
        page = client.get(reverse("terms:support-list"))
    assert len(page.context["requests"]) == 6
    _login(client, tf.expert_user(mine))
    assert len(client.get(reverse("terms:support-list")).context["requests"]) == 3


def test_report_of_someone_elses_appointment_is_404(client, two):
    mine, other = two
    _login(client, tf.enterprise_user(mine))
    assert client.get(reverse("terms:report-edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("terms:report-submit", args=[other.pk])).status_code == 404


def test_report_drafted_on_page_with_project_indicators_prefilled(client, two):
    mine, _ = two
    with on(date(2027, 1, 5)):
        _login(client, tf.enterprise_user(mine))
        page = client.get(reverse("terms:report-edit", args=[mine.pk]))
        assert [f.initial["indicator"] for f in page.context["formset"].forms[:1]] == [
            "申请发明专利2项，完成中试"
        ]
        data = {
            "summary": "两年总结",
            "achievements": "",
            "results-TOTAL_FORMS": 2,
            "results-INITIAL_FORMS": 0,
            "results-0-indicator": "申请发明专利2项",
            "results-0-target": "2项",
            "results-0-achieved": "",
            "results-1-indicator": "",
            "results-1-achieved": "",
        }
        page = client.post(reverse("terms:report-edit", args=[mine.pk]), data)
        assert "请填写该指标的完成情况" in page.content.decode() and "两年总结" in page.content.decode()
        data["results-0-achieved"] = "已申请3项"
        data["results-0-met"] = "on"
        assert client.post(reverse("terms:report-edit", args=[mine.pk]), data).status_code == 302
        client.post(reverse("terms:report-submit", args=[mine.pk]))
        # the enterprise cannot confirm its own draft for the expert
        assert client.post(reverse("terms:report-confirm", args=[mine.pk])).status_code == 404
        _login(client, tf.expert_user(mine))
        client.post(reverse("terms:report-confirm", args=[mine.pk]))
    mine.term_report.refresh_from_db()
    assert mine.term_report.state == "submitted"


def test_panel_grade_page_only_for_panel_members_and_grade_scale(client, media):
    appt = tf.appointment(start=date(2024, 1, 1))
    services.appointments_end_due(as_of=date(2026, 1, 1))
    staff = pf.commission()
    member_reviewer, outsider = pf.reviewer(), pf.reviewer()
    evaluation = services.evaluation_create(appointment=appt, reviewers=[member_reviewer], by=staff)
    services.evaluation_open(evaluation=evaluation, by=staff)
    member = evaluation.members.get()
    _login(client, outsider.user)
    assert client.get(reverse("terms:panel-grade", args=[member.pk])).status_code == 404
    _login(client, member_reviewer.user)
    page = client.post(reverse("terms:panel-grade", args=[member.pk]), {"grade": "superb", "opinion": "很好"})
    assert "评价等级须为优秀、良好、合格或不合格" in page.content.decode() and "很好" in page.content.decode()
    client.post(reverse("terms:panel-grade", args=[member.pk]), {"grade": Grade.GOOD, "opinion": "很好"})
    member.refresh_from_db()
    assert member.grade == Grade.GOOD
    # staff finalise on the page; the expert downloads the opinion, the enterprise may not
    _login(client, staff)
    client.post(
        reverse("terms:evaluation-finalise", args=[evaluation.pk]),
        {"grade": Grade.GOOD, "opinion": "合作成效良好", "override_reason": ""},
    )
    _login(client, tf.expert_user(appt))
    doc = client.get(reverse("terms:document-download", args=[appt.pk, "evaluation_opinion"]))
    assert doc.status_code == 200 and doc["Content-Type"] == "application/pdf"
    _login(client, tf.enterprise_user(appt))
    assert (
        client.get(reverse("terms:document-download", args=[appt.pk, "evaluation_opinion"])).status_code
        == 404
    )
    _login(client, tf.nominator(appt))
    assert (
        client.get(reverse("terms:document-download", args=[appt.pk, "evaluation_opinion"])).status_code
        == 200
    )


def test_expert_issues_service_certificate_after_term(client, media):
    appt = tf.appointment(start=date(2024, 1, 1))
    _login(client, tf.expert_user(appt))
    page = client.post(reverse("terms:certificate-issue", args=[appt.pk]), follow=True)
    assert "任职证明在服务期结束后出具" in page.content.decode()
    services.appointments_end_due(as_of=date(2026, 1, 1))
    page = client.post(reverse("terms:certificate-issue", args=[appt.pk]))
    assert page.status_code == 302
    pdf = client.get(page["Location"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_role_home_panels_render(client, two):
    mine, _ = two
    for user, role in (
        (pf.commission(), Role.COMMISSION),
        (tf.enterprise_user(mine), Role.ENTERPRISE),
        (tf.expert_user(mine), Role.EXPERT),
    ):
        _login(client, user)
        page = client.get(reverse("core:role-home", args=[role]))
        assert page.status_code == 200
        assert "服务期" in page.content.decode()
