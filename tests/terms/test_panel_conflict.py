"""A term-end evaluation panel member declares a conflict of interest: withdrawn (recorded, audited) and
replaced automatically by the least-loaded conflict-free reviewer, as in the review rounds; when nobody is
left staff are told and can add a reviewer by hand."""

from datetime import date

import pytest
from django.urls import reverse

from core.models import AuditEvent, Notification
from terms import services
from terms.enums import EvaluationState, Grade
from terms.exceptions import TermsError
from terms.models import PanelMember
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login

pytestmark = pytest.mark.django_db


def _open_panel(appt, staff, reviewers):
    evaluation = services.evaluation_create(appointment=appt, reviewers=reviewers, by=staff)
    services.evaluation_open(evaluation=evaluation, by=staff)
    return evaluation


def test_declared_conflict_withdraws_and_replaces_with_least_loaded_conflict_free_reviewer(ended, staff):
    a, b = pf.reviewer(), pf.reviewer()
    pf.reviewer(institution_obj=ended.expert.institution)  # conflicted: never picked
    busy, free = pf.reviewer(), pf.reviewer()
    # `busy` already sits on another open panel, so `free` (load 0) is picked
    other = tf.appointment(start=date(2024, 1, 1))
    services.appointments_end_due(as_of=date(2026, 1, 1))
    services.evaluation_create(appointment=other, reviewers=[busy], by=staff)
    evaluation = _open_panel(ended, staff, [a, b])
    member = evaluation.members.get(reviewer=a)

    replacement = services.panel_member_declare_conflict(member=member, by=a.user, reason="曾与该企业合作")

    member.refresh_from_db()
    assert member.withdrawn_at is not None and member.conflict_reason == "曾与该企业合作"
    assert replacement.reviewer == free and member.replaced_by == replacement
    serving = list(evaluation.members.filter(withdrawn_at__isnull=True).values_list("reviewer", flat=True))
    assert sorted(serving) == sorted([b.pk, free.pk])
    assert AuditEvent.objects.filter(action="evaluation.conflict", target_id=str(evaluation.pk)).count() == 1
    assert AuditEvent.objects.filter(action="evaluation.replace", target_id=str(evaluation.pk)).count() == 1
    assert Notification.objects.filter(
        recipient=free.user, link=reverse("terms:panel-grade", args=[replacement.pk])
    ).exists()
    # the withdrawn member can no longer grade; the panel finalises on the serving members' grades
    with pytest.raises(TermsError, match="已声明回避"):
        services.panel_grade_submit(member=member, grade=Grade.GOOD, opinion="好", by=a.user)
    for m in evaluation.members.filter(withdrawn_at__isnull=True).select_related("reviewer__user"):
        services.panel_grade_submit(member=m, grade=Grade.EXCELLENT, opinion="优秀", by=m.reviewer.user)
    assert services.evaluation_suggested_grade(evaluation) == Grade.EXCELLENT
    services.evaluation_finalise(
        evaluation=evaluation, grade=Grade.EXCELLENT, opinion="优秀", override_reason="", by=staff
    )
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.FINALISED


def test_no_replacement_tells_staff_and_staff_add_a_reviewer(ended, staff):
    only = pf.reviewer()
    evaluation = _open_panel(ended, staff, [only])
    member = evaluation.members.get()
    assert services.panel_member_declare_conflict(member=member, by=only.user, reason="亲属关系") is None
    assert Notification.objects.filter(
        recipient=staff, title=f"任职评价组缺少评价专家：{ended.expert.name}"
    ).exists()
    assert evaluation.members.filter(withdrawn_at__isnull=True).count() == 0
    # finalising an empty panel is refused with a clear message
    with pytest.raises(ValueError, match="评价组尚无成员提交评价等级"):
        services.evaluation_finalise(
            evaluation=evaluation, grade=Grade.GOOD, opinion="x", override_reason="", by=staff
        )
    # the withdrawn reviewer cannot come back; a conflicted one is refused; a free one is added
    with pytest.raises(TermsError, match="已在（或曾在）该评价组中"):
        services.panel_member_add(evaluation=evaluation, reviewer=only, by=staff)
    with pytest.raises(TermsError, match="利益冲突"):
        services.panel_member_add(
            evaluation=evaluation, reviewer=pf.reviewer(enterprises=[ended.enterprise]), by=staff
        )
    added = services.panel_member_add(evaluation=evaluation, reviewer=pf.reviewer(), by=staff)
    assert Notification.objects.filter(
        recipient=added.reviewer.user, title="请对科技副总服务期进行任职评价"
    ).exists()


def test_conflict_declaration_refused_after_grading_for_others_and_without_reason(ended, staff):
    a, b = pf.reviewer(), pf.reviewer()
    evaluation = _open_panel(ended, staff, [a, b])
    member_a = evaluation.members.get(reviewer=a)
    with pytest.raises(TermsError, match="请说明回避原因"):
        services.panel_member_declare_conflict(member=member_a, by=a.user, reason=" ")
    with pytest.raises(TermsError, match="只能对本人参加的评价声明回避"):
        services.panel_member_declare_conflict(member=member_a, by=b.user, reason="x")
    services.panel_grade_submit(member=member_a, grade=Grade.GOOD, opinion="好", by=a.user)
    with pytest.raises(TermsError, match="评价已提交，不能再声明回避"):
        services.panel_member_declare_conflict(member=member_a, by=a.user, reason="x")
    assert PanelMember.objects.filter(withdrawn_at__isnull=False).count() == 0
    assert PanelMember.objects.count() == 2


def test_conflict_page_flow(client, ended, staff):
    a = pf.reviewer()
    replacement_reviewer = pf.reviewer()
    evaluation = _open_panel(ended, staff, [a])
    member = evaluation.members.get()
    otp_login(client, a.user)
    page = client.post(reverse("terms:panel-conflict", args=[member.pk]), {"reason": ""})
    assert page.status_code == 200 and "请说明回避原因" in page.content.decode()
    page = client.post(reverse("terms:panel-conflict", args=[member.pk]), {"reason": "曾共同发表论文"})
    assert page.status_code == 302 and page["Location"] == reverse("terms:panel-list")
    assert client.get(reverse("terms:panel-grade", args=[member.pk])).status_code == 404
    assert list(client.get(reverse("terms:panel-list")).context["assignments"]) == []
    otp_login(client, replacement_reviewer.user)
    assert len(client.get(reverse("terms:panel-list")).context["assignments"]) == 1
    otp_login(client, staff)
    body = client.get(reverse("terms:evaluation-detail", args=[evaluation.pk])).content.decode()
    assert "曾共同发表论文" in body and f"替换为 {replacement_reviewer.name}" in body
