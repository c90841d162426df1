"""Project workflow services against PostgreSQL: every transition, the forbidden ones, bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import Role
from core.workflow import TransitionError
from projects import services
from projects.enums import PROJECT_TRANSITIONS, AppointmentState, AssignmentState, ProjectState, RoundState
from projects.exceptions import ProjectError
from projects.models import Appointment, Filing, Project, ReviewAssignment
from tests.factories import projects as f
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


# --- filing ---------------------------------------------------------------------------------------


def test_create_from_accepted_intent_sets_parties():
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    project = services.project_create(intent=intent, by=user, data=f.filing_data())
    assert project.state == ProjectState.DRAFT
    assert project.enterprise_id == intent.demand.enterprise_id
    assert project.expert_id == intent.expert_id
    assert project.budget_sum == Decimal("500000.00")


def test_create_refused_for_pending_intent():
    intent = f.intent()
    intent.state = "pending"
    intent.save()
    user = intent.demand.enterprise.members.first().user
    with pytest.raises(ProjectError, match="已接受"):
        services.project_create(intent=intent, by=user, data=f.filing_data())


def test_create_refused_for_other_enterprise_user():
    intent = f.intent()
    _other, other_user = f.enterprise()
    with pytest.raises(ProjectError):
        services.project_create(intent=intent, by=other_user, data=f.filing_data())
    assert Project.objects.count() == 0


def test_budget_not_adding_up_is_refused_and_nothing_saved():
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    with pytest.raises(ProjectError, match="不一致"):
        services.project_create(intent=intent, by=user, data=f.filing_data(budget_other=Decimal("4000.00")))
    assert Project.objects.count() == 0


def test_management_fee_above_5pct_is_refused():
    intent = f.intent()
    user = intent.demand.enterprise.members.first().user
    data = f.filing_data(budget_management_fee=Decimal("26000.00"), budget_other=Decimal("4000.00"))
    with pytest.raises(ProjectError, match=re.escape("管理费 26,000.00 元超过项目经费的5%")):
        services.project_create(intent=intent, by=user, data=data)


def test_database_refuses_budget_not_adding_up():
    project = f.project()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(budget_other=Decimal("1.00"))


def test_database_refuses_fee_above_5pct():
    project = f.project()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(
            budget_management_fee=Decimal("25000.01"), budget_other=Decimal("4999.99")
        )


def test_submit_needs_expert_confirmation():
    project = f.project()
    with pytest.raises(ProjectError, match="专家尚未确认"):
        services.project_submit(project=project, by=f.member_of(project))
    assert Project.objects.get(pk=project.pk).state == ProjectState.DRAFT


def test_only_the_expert_confirms():
    project = f.project()
    with pytest.raises(ProjectError):
        services.project_confirm(project=project, by=f.member_of(project))
    services.project_confirm(project=project, by=project.expert.user)
    assert Project.objects.get(pk=project.pk).expert_confirmed_at is not None


def test_edit_withdraws_confirmation():
    project = f.project()
    services.project_confirm(project=project, by=project.expert.user)
    services.project_update(
        project=project, by=f.member_of(project), data=f.filing_data(title="新的项目名称")
    )
    project.refresh_from_db()
    assert project.title == "新的项目名称"
    assert project.expert_confirmed_at is None


def test_second_project_for_same_expert_is_refused():
    first = f.project()
    ent, _user = f.enterprise()
    second = f.project(ent=ent, exp=first.expert)  # two drafts may exist
    for project in (first, second):
        services.project_confirm(project=project, by=project.expert.user)
        project.refresh_from_db()
    services.project_submit(project=first, by=f.member_of(first))
    with pytest.raises(ProjectError, match="同一服务期内只能申报一个项目"):
        services.project_submit(project=second, by=f.member_of(second))
    assert Project.objects.get(pk=second.pk).state == ProjectState.DRAFT
    with pytest.raises(ProjectError, match="同一服务期内只能申报一个项目"):
        f.project(ent=ent, exp=first.expert)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=second.pk).update(state=ProjectState.SUBMITTED)


def test_return_needs_reason_and_keeps_history_then_resubmit():
    project = f.project(state=ProjectState.SUBMITTED)
    staff = f.commission()
    with pytest.raises(ProjectError, match="退回原因"):
        services.project_return(project=project, by=staff, reason="  ")
    services.project_return(project=project, by=staff, reason="预算说明不完整")
    project.refresh_from_db()
    assert project.state == ProjectState.RETURNED
    assert project.expert_confirmed_at is None
    user = f.member_of(project)
    services.project_update(project=project, by=user, data=f.filing_data(objectives="补充后的目标"))
    services.project_confirm(project=project, by=project.expert.user)
    project.refresh_from_db()
    services.project_submit(project=project, by=user)
    history = list(project.transitions.values_list("from_state", "to_state", "reason"))
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "预算说明不完整"),
        ("returned", "submitted", ""),
    ]


def test_enterprise_cannot_return_or_accept():
    project = f.project(state=ProjectState.SUBMITTED)
    with pytest.raises(ProjectError):
        services.project_return(project=project, by=f.member_of(project), reason="x")
    with pytest.raises(ProjectError):
        services.project_accept(project=project, round=f.review_round(), by=f.member_of(project))


# --- every transition of the table, and the forbidden ones ------------------------------------------

ALL_STATES = list(ProjectState.values)


@pytest.mark.parametrize("current", ALL_STATES)
@pytest.mark.parametrize("target", ALL_STATES)
def test_project_transition_table(current, target):
    project = f.project()
    Project.objects.filter(pk=project.pk).update(state=current)
    project.refresh_from_db()
    allowed = target in PROJECT_TRANSITIONS[current]
    if allowed:
        services._project_transition(project, to=target, by=None)
        assert Project.objects.get(pk=project.pk).state == target
        assert project.transitions.get().to_state == target
    else:
        with pytest.raises(TransitionError):
            services._project_transition(project, to=target, by=None)
        assert Project.objects.get(pk=project.pk).state == current


# --- review rounds -----------------------------------------------------------------------------------


def _round_with_projects(n_projects=3, n_reviewers=5, **round_kwargs):
    round = f.review_round(**round_kwargs)
    projects = [f.project(state=ProjectState.ACCEPTED, round=round) for _ in range(n_projects)]
    reviewers = [f.reviewer() for _ in range(n_reviewers)]
    return round, projects, reviewers


def test_assign_gives_n_balanced_conflict_free():
    round, projects, reviewers = _round_with_projects(3, 5)
    # reviewer 0 works at the first project's expert's institution; reviewer 1 is linked to its enterprise
    reviewers[0].institution = projects[0].expert.institution
    reviewers[0].save()
    reviewers[1].enterprises.add(projects[0].enterprise)
    result = services.round_assign(round=round, by=f.commission())
    assert result.feasible
    rows = ReviewAssignment.objects.filter(round=round)
    assert rows.count() == 9
    for project in projects:
        assert rows.filter(project=project).count() == 3
    on_first = set(rows.filter(project=projects[0]).values_list("reviewer_id", flat=True))
    assert not on_first & {reviewers[0].pk, reviewers[1].pk}
    loads = [rows.filter(reviewer=r).count() for r in reviewers]
    assert max(loads) - min(loads) <= 1


def test_assign_never_gives_expert_own_application():
    round = f.review_round(reviewers_per_application=1)
    project = f.project(state=ProjectState.ACCEPTED, round=round)
    own = f.reviewer(expert_obj=project.expert)
    same_login = f.reviewer(user=project.expert.user)
    other = f.reviewer()
    services.round_assign(round=round, by=f.commission())
    assert list(ReviewAssignment.objects.filter(project=project).values_list("reviewer_id", flat=True)) == [
        other.pk
    ]
    assert services.reviewer_conflicts(own, project) == ["self"]
    assert services.reviewer_conflicts(same_login, project) == ["self"]


def test_assign_infeasible_reports_affected_application():
    round, projects, reviewers = _round_with_projects(2, 3)
    for reviewer in reviewers[:2]:
        reviewer.enterprises.add(projects[0].enterprise)
    result = services.round_assign(round=round, by=f.commission())
    assert result.short == {projects[0].pk: 2}
    with pytest.raises(ProjectError, match="评审专家不足 3 人"):
        services.round_open(round=round, by=f.commission())


def test_assign_prefers_fitting_expertise():
    round = f.review_round(reviewers_per_application=1)
    project = f.project(
        state=ProjectState.ACCEPTED, round=round, title="锂离子电池正极材料", content="锂离子电池 正极材料"
    )
    f.reviewer(expertise="中医药 针灸")
    fitting = f.reviewer(expertise="锂离子电池 正极材料 储能")
    services.round_assign(round=round, by=f.commission())
    assert ReviewAssignment.objects.get(project=project).reviewer_id == fitting.pk


def _open_round(n_projects=2, n_reviewers=3, **kwargs):
    round, projects, reviewers = _round_with_projects(n_projects, n_reviewers, **kwargs)
    staff = f.commission()
    services.round_assign(round=round, by=staff)
    services.round_open(round=round, by=staff)
    round.refresh_from_db()
    return round, projects, reviewers, staff


def _points(round, values):
    return dict(zip(round.criteria.values_list("pk", flat=True), values, strict=True))


def test_open_moves_projects_under_review():
    round, _projects, _r, _s = _open_round()
    assert round.state == RoundState.OPEN
    assert set(Project.objects.filter(round=round).values_list("state", flat=True)) == {
        ProjectState.UNDER_REVIEW
    }


def test_score_above_max_is_refused_nothing_saved():
    round, _projects, _reviewers, _s = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    with pytest.raises(ProjectError, match="技术创新性”的得分 31 超过满分 30"):
        services.assignment_save_scores(
            assignment=assignment,
            by=assignment.reviewer.user,
            points=_points(round, ["31", "20", "10", "10", "5"]),
            comment="",
        )
    assert assignment.scores.count() == 0


def test_draft_then_submit_locks_sheet():
    round, _projects, _reviewers, _s = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    user = assignment.reviewer.user
    services.assignment_save_scores(
        assignment=assignment, by=user, points=_points(round, ["25", "", "", "", ""]), comment="草稿"
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED
    assert assignment.total == Decimal("25")
    with pytest.raises(ProjectError, match="尚未评分"):
        services.assignment_save_scores(
            assignment=assignment,
            by=user,
            points=_points(round, ["25", "", "", "", ""]),
            comment="x",
            submit=True,
        )
    services.assignment_save_scores(
        assignment=assignment,
        by=user,
        points=_points(round, ["25", "20", "15", "12.5", "8"]),
        comment="很好",
        submit=True,
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    assert assignment.total == Decimal("80.50")
    with pytest.raises(ProjectError, match="锁定"):
        services.assignment_save_scores(
            assignment=assignment, by=user, points=_points(round, ["1", "1", "1", "1", "1"]), comment="改"
        )
    assert ReviewAssignment.objects.get(pk=assignment.pk).total == Decimal("80.50")


def test_scoring_after_deadline_is_refused():
    round, _projects, _reviewers, _s = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    with pytest.raises(ProjectError, match="截止"):
        services.assignment_save_scores(
            assignment=assignment,
            by=assignment.reviewer.user,
            points=_points(round, ["1", "1", "1", "1", "1"]),
            comment="",
            now=round.deadline + timedelta(seconds=1),
        )
    assert assignment.scores.count() == 0


def test_other_reviewer_cannot_score():
    round, _projects, _reviewers, _s = _open_round()
    assignment = ReviewAssignment.objects.filter(round=round).first()
    stranger = UserFactory(roles=[Role.REVIEWER])
    with pytest.raises(ProjectError):
        services.assignment_save_scores(assignment=assignment, by=stranger, points={}, comment="")


def test_declared_conflict_is_replaced_automatically():
    round, _projects, _reviewers = _round_with_projects(1, 4)
    staff = f.commission()
    services.round_assign(round=round, by=staff)
    services.round_open(round=round, by=staff)
    assignment = ReviewAssignment.objects.filter(round=round).first()
    on_before = set(ReviewAssignment.objects.filter(round=round).values_list("reviewer_id", flat=True))
    replacement = services.assignment_declare_conflict(
        assignment=assignment, by=assignment.reviewer.user, reason="曾与该企业有合作"
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CONFLICT
    assert replacement is not None
    assert replacement.reviewer_id not in on_before
    active = ReviewAssignment.objects.filter(round=round, state__in=["assigned", "submitted"])
    assert active.count() == 3


def test_declared_conflict_with_nobody_left_notifies_staff():
    round, _projects, _reviewers = _round_with_projects(1, 3)
    staff = f.commission()
    services.round_assign(round=round, by=staff)
    services.round_open(round=round, by=staff)
    assignment = ReviewAssignment.objects.filter(round=round).first()
    assert (
        services.assignment_declare_conflict(
            assignment=assignment, by=assignment.reviewer.user, reason="亲属关系"
        )
        is None
    )
    assert staff.notifications.filter(title__contains="缺少评审专家").exists()


def test_swap_respects_conflicts():
    round, projects, _reviewers, staff = _open_round(1, 3)
    extra = f.reviewer(enterprises=[projects[0].enterprise])
    assignment = ReviewAssignment.objects.filter(round=round).first()
    with pytest.raises(ProjectError, match="利益冲突"):
        services.assignment_swap(assignment=assignment, reviewer=extra, by=staff)
    clean = f.reviewer()
    new = services.assignment_swap(assignment=assignment, reviewer=clean, by=staff, reason="出差")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REMOVED
    assert new.reviewer_id == clean.pk


def _score_all(round, totals_by_project):
    """Submit sheets; totals are spread over the criteria proportionally (first criterion takes the rest)."""
    for project, totals in totals_by_project.items():
        for assignment, total in zip(
            ReviewAssignment.objects.filter(project=project, state="assigned"), totals, strict=False
        ):
            criteria = list(round.criteria.all())
            remaining = Decimal(total)
            points = {}
            for criterion in reversed(criteria[1:]):
                give = min(criterion.max_points, remaining)
                points[criterion.pk] = give
                remaining -= give
            points[criteria[0].pk] = remaining
            services.assignment_save_scores(
                assignment=assignment, by=assignment.reviewer.user, points=points, comment="意见", submit=True
            )


def test_close_computes_scores_ranks_and_trimmed_mean():
    round, projects, _reviewers, staff = _open_round(2, 5, reviewers_per_application=5)
    _score_all(
        round, {projects[0]: ["90", "80", "70", "60", "50"], projects[1]: ["75", "75", "75", "75", "75"]}
    )
    services.round_close(round=round, by=staff)
    p0, p1 = (Project.objects.get(pk=p.pk) for p in projects)
    assert p0.review_score == Decimal("70.00")  # (80 + 70 + 60) / 3
    assert p0.review_spread == Decimal("40")
    assert p1.review_score == Decimal("75.00")
    assert (p1.review_rank, p0.review_rank) == (1, 2)
    assert p0.state == p1.state == ProjectState.REVIEWED
    leniency = {row["reviewer_id"]: row["delta"] for row in services.reviewer_leniency(round)}
    assert len(leniency) == 5


def test_leading_industry_bonus_added():
    round, projects, _reviewers, staff = _open_round(1, 3, leading_industry_bonus=Decimal("2.5"))
    _score_all(round, {projects[0]: ["70", "71", "72"]})
    services.round_close(round=round, by=staff)
    assert Project.objects.get(pk=projects[0].pk).review_score == Decimal("73.50")


def _closed_round(totals, **kwargs):
    round, projects, _reviewers, staff = _open_round(len(totals), 3, **kwargs)
    _score_all(round, dict(zip(projects, totals, strict=True)))
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


def test_objection_upheld_withdraws_approval():
    _round, project, staff = _decided()
    objection = services.objection_create(
        project=project, name="王某", contact="13900000000", content="成果不实", today=date(2026, 11, 24)
    )
    office = f.talent_office()
    with pytest.raises(ProjectError):
        services.filing_record(
            projects=[project],
            by=office,
            number="备2026-1",
            filed_on=date(2026, 11, 30),
            today=date(2026, 11, 30),
        )
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
        services.filing_record(
            projects=[project],
            by=office,
            number="备2026-1",
            filed_on=date(2026, 11, 26),
            today=date(2026, 11, 26),
        )
    services.filing_record(
        projects=[project],
        by=office,
        number="备2026-1",
        filed_on=date(2026, 11, 30),
        today=date(2026, 11, 30),
    )
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
