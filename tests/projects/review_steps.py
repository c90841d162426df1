"""Steps of a review round shared by the project service tests: a round with accepted applications and
reviewers, the round assigned and opened, and score sheets submitted."""

from __future__ import annotations

from decimal import Decimal

from projects import services
from projects.enums import ProjectState
from projects.models import ReviewAssignment
from tests.factories import projects as f


def round_with_projects(n_projects=3, n_reviewers=5, **round_kwargs):
    round = f.review_round(**round_kwargs)
    projects = [f.project(state=ProjectState.ACCEPTED, round=round) for _ in range(n_projects)]
    reviewers = [f.reviewer() for _ in range(n_reviewers)]
    return round, projects, reviewers


def open_round(n_projects=2, n_reviewers=3, **kwargs):
    round, projects, reviewers = round_with_projects(n_projects, n_reviewers, **kwargs)
    staff = f.commission()
    services.round_assign(round=round, by=staff)
    services.round_open(round=round, by=staff)
    round.refresh_from_db()
    return round, projects, reviewers, staff


def score_all(round, totals_by_project):
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


def score_and_close(round, staff):
    """Every sheet of the open round submitted at two points under full marks per criterion, then the
    round closed."""
    for assignment in ReviewAssignment.objects.filter(round=round):
        points = {c.pk: c.max_points - 2 for c in round.criteria.all()}
        services.assignment_save_scores(
            assignment=assignment, by=assignment.reviewer.user, points=points, comment="好", submit=True
        )
    services.round_close(round=round, by=staff)


def reviewed_project(*, uses_notice=None, **project_kwargs):
    """One accepted project through a one-reviewer round: assigned, opened, scored full marks and the
    round closed (the project reviewed). Returns (round, project, staff)."""
    round_kwargs = {"reviewers_per_application": 1}
    if uses_notice is not None:
        round_kwargs["uses_notice"] = uses_notice
    round = f.review_round(**round_kwargs)
    project = f.project(state=ProjectState.ACCEPTED, round=round, **project_kwargs)
    f.reviewer()
    staff = f.commission()
    services.round_assign(round=round, by=staff)
    services.round_open(round=round, by=staff)
    assignment = project.assignments.get()
    services.assignment_save_scores(
        assignment=assignment,
        by=assignment.reviewer.user,
        points={c.pk: c.max_points for c in round.criteria.all()},
        comment="好",
        submit=True,
    )
    services.round_close(round=round, by=staff)
    project.refresh_from_db()
    return round, project, staff


def approved_project(*, uses_notice=False, **project_kwargs):
    """`reviewed_project`, then approved in its declared category and the round decided."""
    round, project, staff = reviewed_project(uses_notice=uses_notice, **project_kwargs)
    services.project_decide(project=project, by=staff, approve=True, social_science=project.social_science)
    services.round_decide(round=round, by=staff)
    project.refresh_from_db()
    return round, project, staff
