"""Review rounds: creation and rubric, the assignment of reviewers (min-cost flow), opening for scoring, the
results (trimmed mean, bonus, rank, reviewer leniency) and closing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import Role
from core.audit import audit
from core.workflow import transition

from .. import policy
from ..assignment import ApplicationSlot, ReviewerSlot, assign_reviewers
from ..enums import (
    ACTIVE_ASSIGNMENT_STATES,
    DEFAULT_GUIDANCE,
    DEFAULT_RUBRIC,
    ROUND_TRANSITIONS,
    AssignmentState,
    ProjectState,
    RoundState,
)
from ..models import Project, ReviewAssignment, ReviewRound, RubricCriterion
from ..selectors import sheet_results
from ._common import _notify_reviewers, _project_transition, _require
from .reviewers import conflict_map, fit_scores, round_fit
from .reviewers import reviewer_pool as _reviewer_pool


def _guidance(name) -> dict[str, str]:
    """The default description and high/low score meanings of a criterion named like a default one."""
    texts = DEFAULT_GUIDANCE.get(str(name).strip())
    if texts is None:
        return {}
    return dict(zip(("description", "high_means", "low_means"), (str(t) for t in texts), strict=True))


def round_create(
    *, by, data: Mapping[str, object], criteria: Iterable[tuple[str, Decimal]] | None = None
) -> ReviewRound:
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以创建评审批次。"))
    with transaction.atomic():
        round = ReviewRound.objects.create(created_by=by, **data)
        for order, (name, max_points) in enumerate(criteria or DEFAULT_RUBRIC, start=1):
            RubricCriterion.objects.create(
                round=round, name=str(name), max_points=max_points, order=order, **_guidance(name)
            )
        audit(by, "reviewround.create", round, summary=round.name)
    return round


def rubric_set(*, round: ReviewRound, by, criteria: Iterable[tuple[str, Decimal]]) -> None:
    """Replace a draft round's rubric."""
    _require(round.state == RoundState.DRAFT, _("评审开始后不能修改评审指标。"))
    criteria = [(str(name).strip(), Decimal(points)) for name, points in criteria if str(name).strip()]
    _require(bool(criteria), _("至少需要一项评审指标。"))
    _require(all(points > 0 for _n, points in criteria), _("每项评审指标的满分必须大于0。"))
    _require(len({n for n, _p in criteria}) == len(criteria), _("评审指标名称不能重复。"))
    with transaction.atomic():
        round.criteria.all().delete()
        for order, (name, points) in enumerate(criteria, start=1):
            RubricCriterion.objects.create(
                round=round, name=name, max_points=points, order=order, **_guidance(name)
            )
        audit(by, "reviewround.rubric", round, data={"criteria": [[n, str(p)] for n, p in criteria]})


def _round_projects(round: ReviewRound):
    return list(
        round.projects.filter(state__in=(ProjectState.ACCEPTED, ProjectState.UNDER_REVIEW))
        .select_related("expert__institution", "enterprise")
        .order_by("pk")
    )


def sheets_assign(
    owner,
    model,
    *,
    owner_field: str,
    key: str,
    items: Mapping[int, Project],
    per_item: int,
    active_states,
    by,
    action: str,
):
    """Give every item of a review round or award cycle (`owner`) the reviewers it lacks up to `per_item`:
    optimal min-cost flow over conflict-free pairs, balanced load, best fit; the sheets it already has count
    (a rerun fills gaps only; a reviewer who had a sheet on an item never gets it again). `model` is the
    sheet (ReviewAssignment, AwardSheet), `owner_field` its field naming the owner ("round", "cycle"), `key`
    the one naming the item ("project_id", "application_id"); `items` maps the item ids to their projects
    (with expert__institution selected) and `active_states` are the sheets' states that count. Creates
    the sheets with their fit and audits `action` on the owner (call it in a transaction). Returns the
    solver's result (its `short` names the items that could not get `per_item` reviewers)."""
    reviewers = _reviewer_pool()
    taken = defaultdict(set)  # item -> reviewers ever on it (declared conflicts and swaps included)
    active = defaultdict(int)
    load = defaultdict(int)
    for item_id, reviewer_id, state in model.objects.filter(**{owner_field: owner}).values_list(
        key, "reviewer_id", "state"
    ):
        taken[item_id].add(reviewer_id)
        if state in active_states:
            active[item_id] += 1
            load[reviewer_id] += 1
    projects = list(items.values())
    fits = fit_scores(projects, reviewers)
    conflicts = conflict_map(projects, reviewers)
    slots = [
        ApplicationSlot(
            key=item_id,
            need=max(per_item - active[item_id], 0),
            conflicts=frozenset(conflicts[project.pk] | taken[item_id]),
            fit=fits.get(project.pk, {}),
        )
        for item_id, project in items.items()
    ]
    result = assign_reviewers(
        slots, [ReviewerSlot(key=r.pk, capacity=r.capacity, load=load[r.pk]) for r in reviewers]
    )
    model.objects.bulk_create(
        model(
            **{owner_field: owner, key: item_id},
            reviewer_id=reviewer_id,
            fit=Decimal(str(round_fit(fits.get(items[item_id].pk, {}).get(reviewer_id, 0.0)))),
        )
        for item_id, reviewer_id in result.pairs()
    )
    audit(
        by,
        action,
        owner,
        summary=_("分配 %(n)d 人次") % {"n": len(result.pairs())},
        data={"short": {str(k): v for k, v in result.short.items()}},
    )
    return result


def round_assign(*, round: ReviewRound, by):
    """Assign reviewers to every application of the round that lacks some (sheets_assign). Returns the
    solver's result."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以分配评审专家。"))
    _require(round.state in (RoundState.DRAFT, RoundState.OPEN), _("评审批次已结束，不能再分配评审专家。"))
    with transaction.atomic():
        result = sheets_assign(
            round,
            ReviewAssignment,
            owner_field="round",
            key="project_id",
            items={p.pk: p for p in _round_projects(round)},
            per_item=round.reviewers_per_application,
            active_states=ACTIVE_ASSIGNMENT_STATES,
            by=by,
            action="reviewround.assign",
        )
        if round.state == RoundState.OPEN:
            _notify_reviewers(round, {r for _p, r in result.pairs()})
    return result


def round_open(*, round: ReviewRound, by) -> ReviewRound:
    """Start scoring: every application must have its N reviewers."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以开始评审。"))
    projects = _round_projects(round)
    _require(bool(projects), _("评审批次中还没有申请。"))
    _require(round.criteria.exists(), _("评审批次还没有评审指标。"))
    counts = defaultdict(int)
    for project_id in ReviewAssignment.objects.filter(
        round=round, state__in=ACTIVE_ASSIGNMENT_STATES
    ).values_list("project_id", flat=True):
        counts[project_id] += 1
    lacking = [p.title for p in projects if counts[p.pk] < round.reviewers_per_application]
    _require(
        not lacking,
        _("以下申请的评审专家不足 %(n)d 人：%(titles)s")
        % {"n": round.reviewers_per_application, "titles": "、".join(lacking)},
    )
    with transaction.atomic():
        round = transition(round, to=RoundState.OPEN, by=by, allowed=ROUND_TRANSITIONS)
        for project in projects:
            if project.state == ProjectState.ACCEPTED:
                _project_transition(project, to=ProjectState.UNDER_REVIEW, by=by)
        reviewer_ids = set(ReviewAssignment.objects.filter(round=round).values_list("reviewer_id", flat=True))
        _notify_reviewers(round, reviewer_ids)
    return round


def round_results(round: ReviewRound) -> list[dict]:
    """Per application of the round: sheet totals, score (trimmed mean + leading-industry bonus), spread,
    rank and whether it reaches the pass line; ranked best first, unscored applications last."""
    projects = list(
        round.projects.exclude(
            state__in=(ProjectState.SUBMITTED, ProjectState.RETURNED, ProjectState.DRAFT)
        ).select_related("enterprise__industry", "expert")
    )
    bonus = round.leading_industry_bonus
    return sheet_results(
        projects,
        ReviewAssignment.objects.filter(round=round, state=AssignmentState.SUBMITTED),
        key="project_id",
        label="project",
        pass_line=round.pass_line,
        bonus={p.pk: bonus for p in projects if bonus and p.enterprise.industry.is_leading},
    )


def reviewer_leniency(round: ReviewRound) -> list[dict]:
    """Each reviewer's mean total against the round's mean (positive: lenient; negative: harsh)."""
    per_reviewer = defaultdict(list)
    names = {}
    for reviewer_id, name, total in ReviewAssignment.objects.filter(
        round=round, state=AssignmentState.SUBMITTED
    ).values_list("reviewer_id", "reviewer__name", "total"):
        per_reviewer[reviewer_id].append(total)
        names[reviewer_id] = name
    result = policy.leniency(per_reviewer)
    return sorted(
        (
            {"reviewer_id": k, "name": names[k], "sheets": len(per_reviewer[k]), "mean": mean, "delta": delta}
            for k, (mean, delta) in result.items()
        ),
        key=lambda row: row["delta"],
    )


def round_close(*, round: ReviewRound, by) -> ReviewRound:
    """Scores become final: results are computed and stored on each application."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以结束评审。"))
    with transaction.atomic():
        round = transition(round, to=RoundState.CLOSED, by=by, allowed=ROUND_TRANSITIONS)
        # unsubmitted sheets no longer count
        for row in round_results(round):
            project = row["project"]
            Project.objects.filter(pk=project.pk).update(
                review_score=row["score"], review_spread=row["spread"], review_rank=row["rank"]
            )
            if project.state == ProjectState.UNDER_REVIEW:
                _project_transition(project, to=ProjectState.REVIEWED, by=by)
    return round
