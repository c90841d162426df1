"""A reviewer's assignment in a round: staff swap a reviewer by hand, the reviewer declares a conflict
(replaced automatically) or saves and submits the score sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.selectors import commission_users
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, notification_send

from .. import policy
from ..assignment import replacement_pick
from ..enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState, RoundState
from ..exceptions import ProjectError
from ..models import Project, ReviewAssignment, Reviewer, ReviewRound
from ._common import _notify_reviewers, _require
from .reviewers import conflict_map, fit_scores, reviewer_conflicts, round_fit
from .reviewers import reviewer_pool as _reviewer_pool


def _check_pair(round: ReviewRound, project: Project, reviewer: Reviewer) -> None:
    reasons = reviewer_conflicts(reviewer, project)
    _require(
        not reasons,
        _("%(name)s 与该申请存在利益冲突：%(reasons)s")
        % {"name": reviewer.name, "reasons": "、".join(policy.COI_LABELS[r] for r in reasons)},
    )
    _require(
        not ReviewAssignment.objects.filter(project=project, reviewer=reviewer).exists(),
        _("%(name)s 已经分配过该申请（含已回避或被调换），不能重复分配。") % {"name": reviewer.name},
    )
    _require(reviewer.active, _("%(name)s 不在评审专家库中。") % {"name": reviewer.name})


def assignment_swap(
    *, assignment: ReviewAssignment, reviewer: Reviewer, by, reason: str = ""
) -> ReviewAssignment:
    """Staff replace a reviewer by hand; the conflict check still applies. A submitted sheet stays."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以调换评审专家。"))
    round = assignment.round
    _require(round.state in (RoundState.DRAFT, RoundState.OPEN), _("评审批次已结束，不能调换评审专家。"))
    _require(assignment.state == AssignmentState.ASSIGNED, _("只能调换尚未提交评分的分配。"))
    project = Project.objects.select_related("expert__institution").get(pk=assignment.project_id)
    _check_pair(round, project, reviewer)
    with transaction.atomic():
        updated = ReviewAssignment.objects.filter(pk=assignment.pk, state=AssignmentState.ASSIGNED).update(
            state=AssignmentState.REMOVED,
            conflict_reason=reason or _("工作人员调换"),
            updated_at=timezone.now(),
        )
        _require(updated == 1, _("该分配已变化，请刷新后重试。"))
        new = ReviewAssignment.objects.create(round=round, project=project, reviewer=reviewer)
        audit(
            by,
            "reviewassignment.swap",
            new,
            summary=f"{assignment.reviewer_id} → {reviewer.pk}",
            data={"reason": reason},
        )
        if round.state == RoundState.OPEN:
            _notify_reviewers(round, {reviewer.pk})
    return new


def conflict_withdraw(sheet, *, by, reason: str, assigned: str, conflict: str, action: str) -> bool:
    """Withdraw a score sheet (a round's ReviewAssignment, an award cycle's AwardSheet) on the reviewer's
    declared conflict: from state `assigned` to `conflict` with the reason, its draft scores deleted, audited
    as `action`. False (nothing done) when the sheet is no longer `assigned`."""
    updated = type(sheet).objects.filter(pk=sheet.pk, state=assigned).update(
        state=conflict, conflict_reason=reason, updated_at=timezone.now()
    )
    if updated != 1:
        return False
    sheet.scores.all().delete()
    audit(by, action, sheet, data={"reason": reason})
    return True


def replacement_for(project: Project, *, taken, active) -> tuple[int | None, Decimal]:
    """Who replaces a reviewer of `project` after a declared conflict: of the reviewer pool, none with a
    conflict of interest or with a sheet among `taken` (the sheets ever given on this application), the
    least loaded (by the rows of `active`, the live sheets of the round or award cycle), best fit first
    (assignment.replacement_pick). Returns the reviewer's id (None: nobody left) and the fit."""
    reviewers = _reviewer_pool()
    conflicted = conflict_map([project], reviewers)[project.pk]
    exclude = conflicted | set(taken.values_list("reviewer_id", flat=True))
    loads = defaultdict(int)
    for reviewer_id in active.values_list("reviewer_id", flat=True):
        loads[reviewer_id] += 1
    fits = fit_scores([project], reviewers).get(project.pk, {})
    pick = replacement_pick(
        conflicts=exclude,
        fit=fits,
        loads={r.pk: loads[r.pk] for r in reviewers},
        capacities={r.pk: r.capacity for r in reviewers},
    )
    return pick, Decimal(str(round_fit(fits.get(pick, 0.0))))


def assignment_declare_conflict(*, assignment: ReviewAssignment, by, reason: str) -> ReviewAssignment | None:
    """The reviewer declares a conflict: the assignment is withdrawn and replaced automatically by the
    least-loaded conflict-free reviewer (best fit first). Returns the replacement (None: nobody left —
    staff are told)."""
    _require(assignment.reviewer.user_id == by.pk, _("只能对分配给自己的申请声明回避。"))
    _require(bool(reason.strip()), _("请说明回避原因。"))
    round = assignment.round
    _require(round.state in (RoundState.DRAFT, RoundState.OPEN), _("评审批次已结束。"))
    _require(assignment.state == AssignmentState.ASSIGNED, _("评分已提交，不能再声明回避。"))
    project = Project.objects.select_related("expert__institution", "enterprise").get(
        pk=assignment.project_id
    )
    with transaction.atomic():
        withdrawn = conflict_withdraw(
            assignment,
            by=by,
            reason=reason.strip(),
            assigned=AssignmentState.ASSIGNED,
            conflict=AssignmentState.CONFLICT,
            action="reviewassignment.conflict",
        )
        _require(withdrawn, _("该分配已变化，请刷新后重试。"))
        pick, fit = replacement_for(
            project,
            taken=ReviewAssignment.objects.filter(project=project),
            active=ReviewAssignment.objects.filter(round=round, state__in=ACTIVE_ASSIGNMENT_STATES),
        )
        replacement = None
        if pick is not None:
            replacement = ReviewAssignment.objects.create(
                round=round, project=project, reviewer_id=pick, fit=fit
            )
            audit(None, "reviewassignment.replace", replacement, summary=f"{assignment.reviewer_id} → {pick}")
            if round.state == RoundState.OPEN:
                _notify_reviewers(round, {pick})
        else:
            for staff in commission_users():
                notification_send(
                    recipient=staff,
                    title=Msg(gettext_lazy("申请“%(title)s”缺少评审专家"), title=project.title),
                    body=gettext_lazy("评审专家声明回避后，没有可替换的无利益冲突专家，请手工调整。"),
                    link=reverse("projects:round-detail", args=[round.pk]),
                )
    return replacement


def sheet_write(sheet, values: Mapping[int, Decimal], *, comment: str, now, submit_as: str | None) -> None:
    """Write a locked score sheet (a round's ReviewAssignment, an award cycle's AwardSheet: rows with
    `scores`): the points by criterion id, the comment and the total; with `submit_as` (the sheet's
    submitted state) it is submitted at `now`, and locked."""
    sheet.scores.exclude(criterion_id__in=values).delete()
    for criterion_id, value in values.items():
        sheet.scores.update_or_create(criterion_id=criterion_id, defaults={"points": value})
    sheet.comment = comment
    sheet.total = sum(values.values(), Decimal("0")) if values else None
    fields = ["comment", "total", "updated_at"]
    if submit_as:
        sheet.state = submit_as
        sheet.submitted_at = now
        fields += ["state", "submitted_at"]
    sheet.save(update_fields=fields)


def assignment_save_scores(
    *,
    assignment: ReviewAssignment,
    by,
    points: Mapping[int, object],
    comment: str,
    submit: bool = False,
    now=None,
) -> ReviewAssignment:
    """Save the reviewer's sheet (draft), or submit it (all criteria scored; locked afterwards)."""
    now = now or timezone.now()
    _require(assignment.reviewer.user_id == by.pk, _("只能为分配给自己的申请评分。"))
    round = assignment.round
    _require(round.state == RoundState.OPEN, _("评审批次当前不在评分阶段。"))
    _require(
        now <= round.deadline,
        _("评分已于 %(deadline)s 截止，不能再保存或提交。")
        % {"deadline": timezone.localtime(round.deadline).strftime("%Y-%m-%d %H:%M")},
    )
    _require(assignment.state == AssignmentState.ASSIGNED, _("评分表已提交并锁定，不能修改。"))
    criteria = list(round.criteria.all())
    try:
        values = policy.sheet_points(
            criteria, points, comment=comment, submit=submit, comment_required=round.opinion_required
        )
    except PolicyError as exc:
        raise ProjectError(str(exc)) from None
    with transaction.atomic():
        locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        _require(locked.state == AssignmentState.ASSIGNED, _("评分表已提交并锁定，不能修改。"))
        submit_as = AssignmentState.SUBMITTED if submit else None
        sheet_write(locked, values, comment=comment.strip(), now=now, submit_as=submit_as)
        audit(
            by,
            "reviewassignment.submit" if submit else "reviewassignment.save",
            locked,
            data={"total": str(locked.total)},
        )
    return locked
