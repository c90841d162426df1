"""Services of the annual awards against the real database: eligibility, duplicates, the scoring window,
the solver and conflict rule shared with the review rounds, quotas (service and trigger), ties at the
quota line, approval with budget bookings and payments, publication and certificates."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

import projects.assignment
import projects.services
from awards import services
from awards.enums import ApplicationState, CycleState, SheetState
from awards.exceptions import AwardError
from awards.models import Award, AwardApplication, AwardCycle
from awards.selectors import award_summary, cycle_results, decision_rows
from core.models import DocumentKind, IssuedDocument
from subsidies.enums import BudgetCategory, PayeeKind
from subsidies.models import BudgetCommitment, Payment
from subsidies.services import budget_save
from tests.factories import awards as af
from tests.factories import projects as pf

pytestmark = pytest.mark.django_db


# --- the same code as the review rounds ----------------------------------------------------------------


def test_awards_use_the_review_rounds_solver_and_conflict_rule():
    assert services.assign_reviewers is projects.assignment.assign_reviewers
    assert services.replacement_pick is projects.assignment.replacement_pick
    assert services.conflict_map is projects.services.conflict_map
    assert services.fit_scores is projects.services.fit_scores


def test_assignment_is_balanced_and_never_gives_a_conflicted_reviewer():
    staff = af.staff()
    cycle = af.cycle(by=staff)
    projects_ = [af.completed() for _ in range(3)]
    for p in projects_:
        af.apply(cycle, p)
    pool = af.reviewers(4)
    # a reviewer at the first project's expert's institution, and one linked to the second's enterprise
    same_inst = pf.reviewer(institution_obj=projects_[0].expert.institution, expertise="抗体 药物")
    linked = pf.reviewer(enterprises=[projects_[1].enterprise], expertise="抗体 药物")
    cycle = af.review(cycle, staff)
    sheets = list(cycle.sheets.select_related("application"))
    assert len(sheets) == 9
    assert not [
        s for s in sheets if s.reviewer_id == same_inst.pk and s.application.project_id == projects_[0].pk
    ]
    assert not [
        s for s in sheets if s.reviewer_id == linked.pk and s.application.project_id == projects_[1].pk
    ]
    loads = [cycle.sheets.filter(reviewer=r).count() for r in [*pool, same_inst, linked]]
    assert max(loads) - min(loads) <= 1
    # a rerun fills gaps only
    result = services.cycle_assign(cycle=cycle, by=staff)
    assert result.pairs() == []


def test_declared_conflict_is_replaced_by_a_free_reviewer():
    staff = af.staff()
    cycle, _projects = af.in_review(staff)
    sheet = cycle.sheets.first()
    replacement = services.sheet_declare_conflict(sheet=sheet, by=sheet.reviewer.user, reason="曾与企业合作")
    sheet.refresh_from_db()
    assert sheet.state == SheetState.CONFLICT
    assert replacement is not None and replacement.reviewer_id != sheet.reviewer_id
    assert cycle.sheets.filter(state__in=["assigned", "submitted"]).count() == 3


# --- eligibility and bad input -------------------------------------------------------------------------


def assert_apply_refused(cycle, project, message: str, *, by=None) -> None:
    """Applying for the cycle with the project (as its enterprise, or as `by`) is refused with `message`."""
    with pytest.raises(AwardError, match=message):
        services.application_create(
            cycle=cycle, project=project, by=by or af.enterprise_user(project), data=af.EVIDENCE
        )


def test_joint_application_of_a_completed_project():
    cycle = af.cycle()
    project = af.completed(year=2025)
    app = af.apply(cycle, project)
    assert app.state == ApplicationState.SUBMITTED
    assert app.completion.accepted_on.year == 2025
    assert list(app.transitions.values_list("to_state", flat=True)) == ["draft", "submitted"]


def test_project_not_completed_is_refused_and_nothing_is_created():
    cycle = af.cycle()
    project = af.not_completed()
    assert_apply_refused(cycle, project, "尚未结题")
    assert not AwardApplication.objects.exists()


def _cycles_with_a_past_cutoff():
    """The 2025 cycle, its window closed 30 days ago (its cut-off), and the open 2026 cycle."""
    today = timezone.localdate()
    staff = af.staff()
    previous = af.cycle(
        year=2025,
        by=staff,
        state=CycleState.DRAFT,
        apply_start=today - timedelta(days=60),
        apply_end=today - timedelta(days=30),
    )
    return previous, af.cycle(year=2026, by=staff)


# completed (days before today) → the refusal, or None when the 2026 cycle may select it
LATE_CASES = [
    (5, None),  # completed after the 2025 cycle's cut-off (and after it was decided): goes to 2026
    (29, None),
    (30, "应参加上一年度评选"),  # on the 2025 cut-off: it belonged to 2025
    (200, "应参加上一年度评选"),
]


@pytest.mark.parametrize(("days_ago", "message"), LATE_CASES)
def test_a_cycle_selects_projects_completed_since_the_previous_cutoff(days_ago, message):
    from awards.selectors import cycle_candidates, nomination_candidates

    previous, cycle = _cycles_with_a_past_cutoff()
    project = af.completed(accepted_on=timezone.localdate() - timedelta(days=days_ago))
    assert [c.project_id for c in nomination_candidates(cycle)] == ([project.pk] if message is None else [])
    assert [c.project_id for c in cycle_candidates(previous)] == ([] if message is None else [project.pk])
    if message is None:
        app = af.apply(cycle, project)
        assert app.state == ApplicationState.SUBMITTED
        return
    assert_apply_refused(cycle, project, message)
    assert not AwardApplication.objects.exists()


def award_row(application, *, level: int, amount: str) -> Award:
    """The application's award written straight to the table, as the decision writes it (no service)."""
    return Award.objects.create(
        cycle=application.cycle,
        application=application,
        level=level,
        amount=D(amount),
        expert=application.expert,
        enterprise=application.enterprise,
    )


def test_a_project_already_awarded_is_never_selected_again():
    from awards.selectors import cycle_candidates

    previous, cycle = _cycles_with_a_past_cutoff()
    project = af.completed(accepted_on=timezone.localdate() - timedelta(days=5))
    # an award of an earlier cycle (rows as the decision writes them)
    old = AwardApplication.objects.create(
        cycle=previous,
        project=project,
        completion=project.completion,
        expert_id=project.expert_id,
        enterprise_id=project.enterprise_id,
        source="joint",
        summary="成果",
    )
    award_row(old, level=3, amount="50000.00")
    assert list(cycle_candidates(cycle)) == []
    assert_apply_refused(cycle, project, "已获得过年度评选奖励")
    assert AwardApplication.objects.filter(cycle=cycle).count() == 0


def test_applying_twice_is_refused_by_service_and_database():
    cycle = af.cycle()
    project = af.completed()
    af.apply(cycle, project)
    assert_apply_refused(cycle, project, "不能重复申报")
    with pytest.raises(AwardError, match="不能重复申报"):
        services.application_nominate(cycle=cycle, project=project, by=af.staff(), data=af.EVIDENCE)
    first = AwardApplication.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardApplication.objects.create(
            cycle=cycle,
            completion=first.completion,
            project=project,
            expert=project.expert,
            enterprise=project.enterprise,
            summary="x",
        )
    assert AwardApplication.objects.count() == 1


def test_another_enterprise_cannot_apply_with_the_project():
    cycle = af.cycle()
    project = af.completed()
    other = af.completed()
    assert_apply_refused(cycle, project, "本企业", by=af.enterprise_user(other))


def test_application_outside_the_window_is_refused():
    today = timezone.localdate()
    cycle = af.cycle(apply_start=today - timedelta(days=20), apply_end=today - timedelta(days=1))
    project = af.completed()
    assert_apply_refused(cycle, project, "申报期已于")


def test_submission_needs_the_experts_confirmation_and_evidence():
    cycle = af.cycle()
    project = af.completed()
    user = af.enterprise_user(project)
    with pytest.raises(AwardError, match="佐证"):
        services.application_create(
            cycle=cycle, project=project, by=user, data={"summary": "总结", "patents": "", "papers": ""}
        )
    app = services.application_create(cycle=cycle, project=project, by=user, data=af.EVIDENCE)
    with pytest.raises(AwardError, match="专家确认"):
        services.application_submit(application=app, by=user)
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_staff_nomination_is_submitted_at_once():
    cycle = af.cycle()
    project = af.completed()
    app = services.application_nominate(cycle=cycle, project=project, by=af.staff(), data=af.EVIDENCE)
    assert app.state == ApplicationState.SUBMITTED
    assert app.source == "nominated"


# --- scoring -------------------------------------------------------------------------------------------


def _reviewed_cycle(totals, *, quotas=(1, 1, 1), reviewers=3):
    """A cycle in review with one application per total (a list of sheet totals each)."""
    staff = af.staff()
    cycle, projects_ = af.in_review(
        staff, applications=len(totals), pool=max(reviewers, 3) + 1, quotas=quotas,
        reviewers_per_application=reviewers,
    )
    by_project = {}
    for project, sheet_totals in zip(projects_, totals, strict=True):
        sheets = list(cycle.sheets.filter(application__project=project).select_related("reviewer__user"))
        for sheet, total in zip(sheets, sheet_totals, strict=True):
            af.submit_sheet(cycle, sheet, total, comment="好")
        by_project[project.pk] = project
    return staff, cycle, projects_


def test_sheet_locks_on_submit():
    _staff, cycle, _projects = _reviewed_cycle([["80", "70", "90"]])
    sheet = cycle.sheets.filter(state=SheetState.SUBMITTED).first()
    with pytest.raises(AwardError, match="锁定"):
        services.sheet_save(sheet=sheet, by=sheet.reviewer.user, points={}, comment="改", submit=False)
    sheet.refresh_from_db()
    assert sheet.comment == "好"


def test_scoring_outside_the_window_is_refused():
    staff = af.staff()
    cycle, _projects = af.in_review(staff, pool=3)
    sheet = cycle.sheets.select_related("reviewer__user").first()
    criterion = cycle.criteria.first()
    late = cycle.score_deadline + timedelta(minutes=1)
    with pytest.raises(AwardError, match="截止"):
        services.sheet_save(
            sheet=sheet, by=sheet.reviewer.user, points={criterion.pk: 10}, comment="x", now=late
        )
    services.cycle_close(cycle=cycle, by=staff)
    sheet.refresh_from_db()
    with pytest.raises(AwardError, match="不在评分阶段"):
        services.sheet_save(sheet=sheet, by=sheet.reviewer.user, points={criterion.pk: 10}, comment="x")
    assert not sheet.scores.exists()
    assert sheet.total is None


def test_score_is_the_trimmed_mean_with_five_sheets():
    staff, cycle, projects_ = _reviewed_cycle([["90", "80", "70", "60", "10"]], reviewers=5)
    services.cycle_close(cycle=cycle, by=staff)
    app = AwardApplication.objects.get(project=projects_[0])
    assert app.score == D("70.00")
    assert app.rank == 1


# --- decision: quotas and ties -------------------------------------------------------------------------


def test_autofill_within_quotas_and_approval_books_budget_and_payment():
    staff, cycle, (p1, p2, p3) = _reviewed_cycle([["90"] * 3, ["80"] * 3, ["70"] * 3], quotas=(1, 1, 0))
    services.cycle_close(cycle=cycle, by=staff)
    budget_save(year=cycle.budget_year, amounts={BudgetCategory.AWARD: D("950000.00")}, by=staff)
    plan = services.decision_autofill(cycle=cycle, by=staff)
    assert sorted(plan.values(), key=lambda v: v or 9) == [1, 2, None]
    awards = services.cycle_approve(cycle=cycle, by=staff)
    assert [(a.expert_id, a.level, a.amount) for a in awards] == [
        (p1.expert_id, 1, D("200000.00")),
        (p2.expert_id, 2, D("100000.00")),
    ]
    cycle.refresh_from_db()
    assert cycle.state == CycleState.DECIDED
    assert AwardApplication.objects.get(project=p3).state == ApplicationState.NOT_AWARDED
    # booked against the budget year, paid to the expert personally
    commitments = BudgetCommitment.objects.filter(year=cycle.budget_year, category=BudgetCategory.AWARD)
    assert sorted(c.amount for c in commitments) == [D("100000.00"), D("200000.00")]
    assert all(not c.over_budget for c in commitments)
    payment = Payment.objects.get(award__application__project=p1)
    assert (payment.payee_kind, payment.expert_id, payment.amount, payment.category) == (
        PayeeKind.EXPERT,
        p1.expert_id,
        D("200000.00"),
        BudgetCategory.AWARD,
    )
    assert award_summary(cycle.year) == [
        {"year": cycle.year, "level": 1, "level_label": "一等奖", "count": 1, "amount": D("200000.00")},
        {"year": cycle.year, "level": 2, "level_label": "二等奖", "count": 1, "amount": D("100000.00")},
    ]
    # the payments go to finance in one batch
    batch = services.cycle_payment_batch(cycle=cycle, by=staff)
    assert batch.payments.count() == 2
    with pytest.raises(AwardError, match="没有待纳入"):
        services.cycle_payment_batch(cycle=cycle, by=staff)


def test_approval_over_the_remaining_budget_needs_a_reason():
    staff, cycle, _p = _reviewed_cycle([["90"] * 3], quotas=(1, 0, 0))
    services.cycle_close(cycle=cycle, by=staff)
    budget_save(year=cycle.budget_year, amounts={BudgetCategory.AWARD: D("150000.00")}, by=staff)
    services.decision_autofill(cycle=cycle, by=staff)
    with pytest.raises(AwardError, match="超出余额"):
        services.cycle_approve(cycle=cycle, by=staff)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    assert not Award.objects.exists() and not Payment.objects.exists()
    services.cycle_approve(cycle=cycle, by=staff, override_reason="区政府常务会议同意追加")
    commitment = BudgetCommitment.objects.get(category=BudgetCategory.AWARD)
    assert commitment.over_budget and commitment.override_reason == "区政府常务会议同意追加"


def test_exceeding_a_quota_is_refused_and_nothing_changes():
    staff, cycle, _projects = _reviewed_cycle([["90"] * 3, ["80"] * 3], quotas=(1, 1, 0))
    services.cycle_close(cycle=cycle, by=staff)
    ids = list(AwardApplication.objects.filter(cycle=cycle).order_by("rank").values_list("pk", flat=True))
    with pytest.raises(AwardError, match="一等奖名额为1个"):
        services.decision_set(cycle=cycle, by=staff, levels={ids[0]: 1, ids[1]: 1})
    assert not AwardApplication.objects.filter(proposed_level__isnull=False).exists()
    # a quota may be left unfilled
    services.decision_set(cycle=cycle, by=staff, levels={ids[0]: 1, ids[1]: None})
    # quotas cannot be lowered below the levels proposed
    with pytest.raises(AwardError, match="超出名额"):
        services.cycle_update(cycle=cycle, by=staff, data={"quota_first": 0})


def test_database_trigger_refuses_a_prize_over_the_quota():
    staff, cycle, _projects = _reviewed_cycle([["90"] * 3, ["80"] * 3], quotas=(1, 0, 0))
    services.cycle_close(cycle=cycle, by=staff)
    a1, a2 = AwardApplication.objects.filter(cycle=cycle).order_by("rank")
    award_row(a1, level=1, amount="200000.00")
    with pytest.raises(IntegrityError, match="quota"), transaction.atomic():
        award_row(a2, level=1, amount="200000.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardCycle.objects.filter(pk=cycle.pk).update(quota_first=0)
    assert Award.objects.count() == 1


def test_tie_at_the_quota_line_needs_an_explicit_choice():
    staff, cycle, (p1, p2, p3) = _reviewed_cycle([["90"] * 3, ["85"] * 3, ["85"] * 3], quotas=(1, 1, 0))
    services.cycle_close(cycle=cycle, by=staff)
    # the ranking cannot settle who of the two 85s gets the second prize: auto-fill refuses
    with pytest.raises(AwardError, match="并列"):
        services.decision_autofill(cycle=cycle, by=staff)
    assert not AwardApplication.objects.filter(proposed_level__isnull=False).exists()
    rows, tie = decision_rows(cycle)
    assert tie["level"] == 2
    assert {r.project_id for r in rows if r.tied} == {p2.pk, p3.pk}
    a1, a2, a3 = (AwardApplication.objects.get(project=p) for p in (p1, p2, p3))
    # an explicit choice that splits the tie needs a reason
    with pytest.raises(AwardError, match="评定理由"):
        services.decision_set(cycle=cycle, by=staff, levels={a1.pk: 1, a2.pk: 2, a3.pk: None})
    services.decision_set(
        cycle=cycle,
        by=staff,
        levels={a1.pk: 1, a2.pk: 2, a3.pk: None},
        reason="并列项目中，前者新增营收更高，经评选委员会讨论确定",
    )
    budget_save(year=cycle.budget_year, amounts={BudgetCategory.AWARD: D("950000.00")}, by=staff)
    awards = services.cycle_approve(cycle=cycle, by=staff)
    assert sorted((a.application_id, a.level) for a in awards) == [(a1.pk, 1), (a2.pk, 2)]


def test_publication_issues_certificates_with_verification():
    staff, cycle, (p1,) = _reviewed_cycle([["90"] * 3], quotas=(1, 0, 0))
    services.cycle_close(cycle=cycle, by=staff)
    services.decision_autofill(cycle=cycle, by=staff)
    services.cycle_approve(cycle=cycle, by=staff, override_reason="演示")
    with pytest.raises(AwardError, match="公布后"):
        services.certificate_issue(award=Award.objects.get(), by=staff)
    services.cycle_publish(cycle=cycle, by=staff)  # certificates issued after commit (inline task)
    award = Award.objects.get()
    services.certificates_issue(cycle=cycle, by=staff)
    doc = IssuedDocument.objects.get(kind=DocumentKind.AWARD_CERTIFICATE)
    assert doc.subject_id == str(award.pk)
    assert doc.serial.startswith("KJFZ-JZ-")
    pdf = doc.open()
    assert pdf.startswith(b"%PDF-")
    assert doc.title.startswith(f"{cycle.year}年度")
    # the expert was told
    assert p1.expert.user.notifications.filter(title__contains="一等奖").exists()


def test_results_rank_with_the_review_rounds_rule():
    _staff, cycle, (p1, p2) = _reviewed_cycle([["70", "80", "90"], ["85", "85", "85"]])
    rows = cycle_results(cycle)
    assert [(r["application"].project_id, r["score"], r["rank"]) for r in rows] == [
        (p2.pk, D("85.00"), 1),
        (p1.pk, D("80.00"), 2),
    ]
