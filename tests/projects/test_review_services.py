"""Review round services against PostgreSQL: assignment (conflicts, balance, fit), opening, score sheets,
declared conflicts and swaps, closing with the results."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.enums import Role
from projects import services
from projects.enums import AssignmentState, ProjectState, RoundState
from projects.exceptions import ProjectError
from projects.models import Project, ReviewAssignment
from tests.factories import projects as f
from tests.factories.accounts import UserFactory
from tests.projects.review_steps import open_round, round_with_projects, score_all

pytestmark = pytest.mark.django_db


def test_assign_gives_n_balanced_conflict_free():
    round, projects, reviewers = round_with_projects(3, 5)
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
    round, projects, reviewers = round_with_projects(2, 3)
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


def _save_scores(assignment, values, *, comment="", **kwargs):
    """The assigned reviewer saves the sheet (`submit=True`: submits it), `values` for the round's criteria
    in their order."""
    points = dict(zip(assignment.round.criteria.values_list("pk", flat=True), values, strict=True))
    return services.assignment_save_scores(
        assignment=assignment, by=assignment.reviewer.user, points=points, comment=comment, **kwargs
    )


def test_open_moves_projects_under_review():
    round, _projects, _r, _s = open_round()
    assert round.state == RoundState.OPEN
    assert set(Project.objects.filter(round=round).values_list("state", flat=True)) == {
        ProjectState.UNDER_REVIEW
    }


def _first_assignment():
    """An open round (two applications, three reviewers) and its first assignment."""
    round, _projects, _reviewers, _staff = open_round()
    return round, ReviewAssignment.objects.filter(round=round).first()


def test_score_above_max_is_refused_nothing_saved():
    _round, assignment = _first_assignment()
    with pytest.raises(ProjectError, match="技术创新性”的得分 31 超过满分 30"):
        _save_scores(assignment, ["31", "20", "10", "10", "5"])
    assert assignment.scores.count() == 0


def test_draft_then_submit_locks_sheet():
    _round, assignment = _first_assignment()
    _save_scores(assignment, ["25", "", "", "", ""], comment="草稿")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED
    assert assignment.total == Decimal("25")
    with pytest.raises(ProjectError, match="尚未评分"):
        _save_scores(assignment, ["25", "", "", "", ""], comment="x", submit=True)
    _save_scores(assignment, ["25", "20", "15", "12.5", "8"], comment="很好", submit=True)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    assert assignment.total == Decimal("80.50")
    with pytest.raises(ProjectError, match="锁定"):
        _save_scores(assignment, ["1", "1", "1", "1", "1"], comment="改")
    assert ReviewAssignment.objects.get(pk=assignment.pk).total == Decimal("80.50")


def test_scoring_after_deadline_is_refused():
    round, assignment = _first_assignment()
    with pytest.raises(ProjectError, match="截止"):
        _save_scores(assignment, ["1", "1", "1", "1", "1"], now=round.deadline + timedelta(seconds=1))
    assert assignment.scores.count() == 0


def test_other_reviewer_cannot_score():
    _round, assignment = _first_assignment()
    stranger = UserFactory(roles=[Role.REVIEWER])
    with pytest.raises(ProjectError):
        services.assignment_save_scores(assignment=assignment, by=stranger, points={}, comment="")


def test_declared_conflict_is_replaced_automatically():
    round, _projects, _reviewers, _staff = open_round(1, 4)
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
    round, _projects, _reviewers, staff = open_round(1, 3)
    assignment = ReviewAssignment.objects.filter(round=round).first()
    assert (
        services.assignment_declare_conflict(
            assignment=assignment, by=assignment.reviewer.user, reason="亲属关系"
        )
        is None
    )
    assert staff.notifications.filter(title__contains="缺少评审专家").exists()


def test_swap_respects_conflicts():
    round, projects, _reviewers, staff = open_round(1, 3)
    extra = f.reviewer(enterprises=[projects[0].enterprise])
    assignment = ReviewAssignment.objects.filter(round=round).first()
    with pytest.raises(ProjectError, match="利益冲突"):
        services.assignment_swap(assignment=assignment, reviewer=extra, by=staff)
    clean = f.reviewer()
    new = services.assignment_swap(assignment=assignment, reviewer=clean, by=staff, reason="出差")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.REMOVED
    assert new.reviewer_id == clean.pk


def test_close_computes_scores_ranks_and_trimmed_mean():
    round, projects, _reviewers, staff = open_round(2, 5, reviewers_per_application=5)
    score_all(
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
    round, projects, _reviewers, staff = open_round(1, 3, leading_industry_bonus=Decimal("2.5"))
    score_all(round, {projects[0]: ["70", "71", "72"]})
    services.round_close(round=round, by=staff)
    assert Project.objects.get(pk=projects[0].pk).review_score == Decimal("73.50")


def test_opening_a_round_counts_every_reviewers_sheets_in_one_query():
    """round_open tells each assigned reviewer (dedupe key ends with their number of sheets): the sheets of
    all reviewers are counted in one query, not one per reviewer (review rounds and award cycles alike)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Notification
    from tests.projects.review_steps import round_with_projects

    round, _projects, reviewers = round_with_projects(n_projects=3, n_reviewers=5)
    staff = f.commission()
    services.round_assign(round=round, by=staff)
    with CaptureQueriesContext(connection) as ctx:
        services.round_open(round=round, by=staff)
    sql = [q["sql"] for q in ctx.captured_queries]
    counts = [q for q in sql if "COUNT(" in q and "reviewassignment" in q]
    assert len(counts) == 1, counts
    told = Notification.objects.filter(recipient__in=[r.user for r in reviewers])
    assert told.count() == len({a.reviewer_id for a in round.assignments.all()}) >= 2
    for note in told:
        reviewer = note.recipient.reviewer_profile
        sheets = round.assignments.filter(reviewer=reviewer).count()
        assert note.dedupe_key.endswith(f"-reviewer-{reviewer.pk}-{sheets}")
