"""Term-end evaluation: panel with the review rounds' COI rules, grades, finalisation, and the two PDFs
(任职评价意见, 任职证明) rendered with Chinese fonts and verified through the public page."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import DocumentKind, IssuedDocument, Notification
from core.workflow import TransitionError
from terms import services
from terms.enums import EvaluationState, Grade
from terms.exceptions import TermsError
from terms.models import Evaluation, PanelMember
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.pdf_fonts import embedded_fonts

pytestmark = pytest.mark.django_db


def _panel(appt, staff, n=3):
    reviewers = [pf.reviewer() for _ in range(n)]
    evaluation = services.evaluation_create(appointment=appt, reviewers=reviewers, by=staff)
    services.evaluation_open(evaluation=evaluation, by=staff)
    return evaluation, list(evaluation.members.select_related("reviewer__user"))


def _grade_all(members, grades):
    for member, grade in zip(members, grades, strict=True):
        services.panel_grade_submit(
            member=member, grade=grade, opinion=f"{grade}：成效显著", by=member.reviewer.user
        )


def test_panel_refuses_reviewers_with_conflict_of_interest(ended, staff):
    same_institution = pf.reviewer(institution_obj=ended.expert.institution)
    linked = pf.reviewer(enterprises=[ended.enterprise])
    free = pf.reviewer()
    with pytest.raises(TermsError) as exc:
        services.evaluation_create(appointment=ended, reviewers=[free, same_institution, linked], by=staff)
    assert str(exc.value) == (
        f"以下评价专家存在利益冲突，不能参加评价：{same_institution.name}（评审专家与项目专家同一单位）；"
        f"{linked.name}（评审专家与申报企业有关联）"
    )
    assert Evaluation.objects.count() == 0
    evaluation = services.evaluation_create(appointment=ended, reviewers=[free], by=staff)
    assert list(evaluation.members.values_list("reviewer", flat=True)) == [free.pk]


def test_evaluation_only_after_term_ended(media, staff):
    active = tf.appointment(start=date(2026, 1, 1))
    with pytest.raises(Exception, match="服务期届满后方可组织任职评价"):
        services.evaluation_create(appointment=active, reviewers=[pf.reviewer()], by=staff)


def test_grade_outside_scale_and_duplicate_submission_refused(ended, staff):
    _evaluation, members = _panel(ended, staff, n=1)
    member = members[0]
    with pytest.raises(ValueError, match="优秀、良好、合格或不合格"):
        services.panel_grade_submit(member=member, grade="outstanding", opinion="好", by=member.reviewer.user)
    with pytest.raises(TermsError, match="只能提交本人的评价"):
        services.panel_grade_submit(member=member, grade=Grade.GOOD, opinion="好", by=staff)
    services.panel_grade_submit(member=member, grade=Grade.GOOD, opinion="好", by=member.reviewer.user)
    with pytest.raises(TermsError, match="评价已提交，不能修改"):
        services.panel_grade_submit(
            member=member, grade=Grade.EXCELLENT, opinion="更好", by=member.reviewer.user
        )
    assert PanelMember.objects.get(pk=member.pk).grade == Grade.GOOD


def test_finalise_needs_every_grade_and_a_reason_to_depart(ended, staff):
    evaluation, members = _panel(ended, staff)
    _grade_all(members[:2], [Grade.EXCELLENT, Grade.GOOD])
    with pytest.raises(TermsError, match="尚有评价组成员未提交评价"):
        services.evaluation_finalise(
            evaluation=evaluation, grade=Grade.GOOD, opinion="意见", override_reason="", by=staff
        )
    _grade_all(members[2:], [Grade.GOOD])
    with pytest.raises(TermsError, match="与评价组意见（良好）不一致，请填写调整理由"):
        services.evaluation_finalise(
            evaluation=evaluation, grade=Grade.EXCELLENT, opinion="意见", override_reason="", by=staff
        )
    assert IssuedDocument.objects.count() == 0
    doc = services.evaluation_finalise(
        evaluation=evaluation,
        grade=Grade.EXCELLENT,
        opinion="成果突出",
        override_reason="项目获市级奖励",
        by=staff,
    )
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.grade, evaluation.override_reason) == (
        EvaluationState.FINALISED,
        Grade.EXCELLENT,
        "项目获市级奖励",
    )
    assert doc.kind == DocumentKind.EVALUATION_OPINION
    with pytest.raises(TransitionError):
        services.evaluation_finalise(
            evaluation=evaluation, grade=Grade.GOOD, opinion="x", override_reason="y", by=staff
        )


def test_evaluation_opinion_pdf_issued_to_expert_and_institution_and_verifies(ended, staff, client):
    institution_user = tf.nominator(ended)
    evaluation, members = _panel(ended, staff)
    _grade_all(members, [Grade.GOOD, Grade.GOOD, Grade.EXCELLENT])
    doc = services.evaluation_finalise(
        evaluation=evaluation,
        grade=Grade.GOOD,
        opinion="合作成效良好，建议续聘。",
        override_reason="",
        by=staff,
    )
    pdf = doc.open()
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "任职评价意见" in text and ended.expert.name in text and "良好" in text and doc.serial in text
    assert any("NotoSerifCJK" in n or "NotoSansCJK" in n for n in embedded_fonts(pdf))
    assert doc.serial.startswith("昌科委评〔") and doc.serial.endswith("〕1号")  # 发文字号
    for user in (ended.expert.user, institution_user):
        assert (
            Notification.objects.filter(recipient=user, title__startswith="任职评价意见已出具").count() == 1
        )
    page = client.get(reverse("core:document-verify", args=[doc.token]))
    body = page.content.decode()
    assert page.status_code == 200 and doc.serial in body and "核验通过" in body
    assert ended.expert.name not in body


def test_service_certificate_after_term_with_grade_and_verification(ended, staff, client):
    cert = services.service_certificate_issue(appointment=ended, by=ended.expert.user)
    assert services.service_certificate_issue(appointment=ended, by=ended.expert.user).pk == cert.pk
    text = PdfReader(io.BytesIO(cert.open())).pages[0].extract_text()
    assert "任 职 证 明" in text and "2024年1月1日至2025年12月31日" in text.replace("\n", "")
    assert "担任“科技副总”，" in text.replace("\n", "") and "（“科技副总”）" not in text
    assert "服务24个月" in text.replace("\n", "")
    assert client.get(reverse("core:document-verify", args=[cert.token])).status_code == 200
    # after the evaluation the certificate is re-issued with the grade; the old serial says superseded
    evaluation, members = _panel(ended, staff, n=1)
    _grade_all(members, [Grade.EXCELLENT])
    services.evaluation_finalise(
        evaluation=evaluation, grade=Grade.EXCELLENT, opinion="优秀", override_reason="", by=staff
    )
    current = IssuedDocument.objects.get(kind=DocumentKind.SERVICE_CERTIFICATE, superseded_at__isnull=True)
    assert current.pk != cert.pk
    assert "评价等级为“优秀”" in PdfReader(io.BytesIO(current.open())).pages[0].extract_text().replace(
        "\n", ""
    )
    assert "作废" in client.get(reverse("core:document-verify", args=[cert.token])).content.decode()


def test_service_certificate_not_during_term(media):
    active = tf.appointment(start=date(2026, 1, 1))
    with pytest.raises(TermsError, match="服务期结束后出具"):
        services.service_certificate_issue(appointment=active, by=active.expert.user)
