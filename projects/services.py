"""Writes of cooperation projects: filing, formal check, review rounds (assignment, scoring, results),
decisions, public notice and objections, record-filing, agreements and appointments.

Every state change goes through core.workflow.transition (row lock, transition record, audit event);
mail and documents go out after commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition
from enterprises.enums import IntentState

from . import policy
from .assignment import ApplicationSlot, ReviewerSlot, assign_reviewers, replacement_pick
from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    APPOINTMENT_TRANSITIONS,
    BUDGET_LINES,
    DEFAULT_GUIDANCE,
    DEFAULT_RUBRIC,
    EDITABLE_STATES,
    FIELD_CHOICES,
    LIVE_STATES,
    PROJECT_TRANSITIONS,
    ROUND_TRANSITIONS,
    AppointmentState,
    AssignmentState,
    Decision,
    ObjectionState,
    ProjectState,
    RoundState,
)
from .exceptions import ProjectError
from .models import (
    Agreement,
    Appointment,
    Filing,
    Objection,
    Project,
    ReviewAssignment,
    Reviewer,
    ReviewRound,
    RubricCriterion,
    Score,
)

#: Fields of a filing the enterprise writes (the form's fields; attachments are separate).
FILING_FIELDS = (
    "title",
    "social_science",
    "technical_field",
    "objectives",
    "content",
    "expected_results",
    "schedule",
    "position",
    "requested_start",
    "total_funds",
    *(name for name, _label in BUDGET_LINES),
)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProjectError(message)


def _is_enterprise_member(user, enterprise_id) -> bool:
    membership = getattr(user, "enterprise_membership", None) if user.has_role(Role.ENTERPRISE) else None
    return membership is not None and membership.enterprise_id == enterprise_id


def _project_transition(project: Project, *, to: str, by, reason: str = "", changes=None) -> Project:
    return transition(project, to=to, by=by, allowed=PROJECT_TRANSITIONS, reason=reason, changes=changes)


def _notify_enterprise(project: Project, *, title: Msg, body: Msg | UserText = "") -> None:
    link = reverse("projects:project-detail", args=[project.pk])
    for member in project.enterprise.members.select_related("user"):
        notification_send(recipient=member.user, title=title, body=body, link=link)


def _notify_expert(project: Project, *, title: Msg, body: Msg | UserText = "") -> None:
    user = project.expert.user
    if user is not None:
        notification_send(
            recipient=user, title=title, body=body, link=reverse("projects:project-detail", args=[project.pk])
        )


# --- filing ------------------------------------------------------------------------------------------


def check_filing_data(data: Mapping[str, object]) -> None:
    """The budget rules of a filing (lines add up, management fee at most 5 %), as a ProjectError."""
    try:
        policy.check_budget(
            data["total_funds"], {name: data.get(name) or Decimal("0") for name, _label in BUDGET_LINES}
        )
    except PolicyError as error:
        raise ProjectError(str(error)) from error


def _check_expert_free(expert_id, *, exclude_project_id=None) -> None:
    others = Project.objects.filter(expert_id=expert_id, state__in=LIVE_STATES)
    if exclude_project_id:
        others = others.exclude(pk=exclude_project_id)
    other = others.first()
    if other is not None:
        raise ProjectError(
            _("该专家已有合作项目“%(title)s”（%(state)s），同一服务期内只能申报一个项目。")
            % {"title": other.title, "state": other.get_state_display()}
        )


def project_create(
    *, intent, by, data: Mapping[str, object], files: Mapping[str, object] | None = None
) -> Project:
    """The enterprise files a project from an accepted intent (the expert confirms it afterwards)."""
    _require(intent.state == IntentState.ACCEPTED, _("只能从已接受的对接意向申报合作项目。"))
    enterprise_id = intent.demand.enterprise_id
    _require(_is_enterprise_member(by, enterprise_id), _("只有该企业的用户可以申报项目。"))
    check_filing_data(data)
    _check_expert_free(intent.expert_id)
    with transaction.atomic():
        project = Project(
            intent=intent, enterprise_id=enterprise_id, expert_id=intent.expert_id, created_by=by
        )
        for name in FILING_FIELDS:
            if name in data:
                setattr(project, name, data[name])
        for name, upload in (files or {}).items():
            if upload:
                setattr(project, name, upload)
        project.save()
        audit(by, "project.create", project, summary=project.title)
    return project


def project_update(
    *, project: Project, by, data: Mapping[str, object], files: Mapping[str, object] | None = None
) -> Project:
    """Edit a draft or returned filing; the expert's confirmation is withdrawn by any change."""
    _require(_is_enterprise_member(by, project.enterprise_id), _("只有申报企业可以修改项目。"))
    _require(project.state in EDITABLE_STATES, _("项目已提交，当前不能修改。"))
    check_filing_data(data)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require(locked.state in EDITABLE_STATES, _("项目已提交，当前不能修改。"))
        changed = [name for name in FILING_FIELDS if name in data and getattr(locked, name) != data[name]]
        for name in changed:
            setattr(locked, name, data[name])
        for name, upload in (files or {}).items():
            if upload:
                setattr(locked, name, upload)
                changed.append(name)
        if changed and locked.expert_confirmed_at is not None:
            locked.expert_confirmed_at = None
            changed.append("expert_confirmed_at")
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit(by, "project.update", locked, data={"fields": changed})
    if "expert_confirmed_at" in changed:
        _notify_expert(
            locked, title=Msg(gettext_lazy("合作项目“%(title)s”已修改，请重新确认"), title=locked.title)
        )
    return locked


def project_confirm(*, project: Project, by) -> Project:
    """The expert confirms the filing (required before it can be submitted)."""
    _require(project.expert.user_id == by.pk, _("只有项目专家本人可以确认申报内容。"))
    _require(project.state in EDITABLE_STATES, _("项目当前不需要确认。"))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        _require(locked.state in EDITABLE_STATES, _("项目当前不需要确认。"))
        locked.expert_confirmed_at = timezone.now()
        locked.save(update_fields=["expert_confirmed_at", "updated_at"])
        audit(by, "project.expert_confirm", locked)
    project.expert_confirmed_at = locked.expert_confirmed_at
    return locked


def project_submit(*, project: Project, by) -> Project:
    _require(_is_enterprise_member(by, project.enterprise_id), _("只有申报企业可以提交项目。"))
    _require(project.expert_confirmed_at is not None, _("专家尚未确认申报内容，不能提交。"))
    _require(bool(project.cooperation_plan), _("请先上传合作方案。"))
    _check_expert_free(project.expert_id, exclude_project_id=project.pk)
    try:
        with transaction.atomic():
            project = _project_transition(
                project, to=ProjectState.SUBMITTED, by=by, changes={"submitted_at": timezone.now()}
            )
    except IntegrityError as error:  # a concurrent filing for the same expert won the race
        raise ProjectError(_("该专家已有在办的合作项目，同一服务期内只能申报一个项目。")) from error
    _notify_expert(project, title=Msg(gettext_lazy("合作项目“%(title)s”已提交形式审查"), title=project.title))
    return project


def project_return(*, project: Project, by, reason: str) -> Project:
    """Formal check failed: back to the enterprise with the reason (kept in the transition history)."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以进行形式审查。"))
    _require(bool(reason.strip()), _("退回时必须填写退回原因。"))
    with transaction.atomic():
        project = _project_transition(
            project,
            to=ProjectState.RETURNED,
            by=by,
            reason=reason.strip(),
            changes={"expert_confirmed_at": None},
        )
        _notify_enterprise(
            project,
            title=Msg(gettext_lazy("合作项目“%(title)s”被退回修改"), title=project.title),
            body=UserText(reason.strip()),
        )
    return project


def project_accept(*, project: Project, round: ReviewRound, by) -> Project:
    """Formal check passed: the application joins a review round that has not closed."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以进行形式审查。"))
    _require(
        round.state in (RoundState.DRAFT, RoundState.OPEN),
        _("评审批次“%(name)s”已结束，不能再加入申请。") % {"name": round.name},
    )
    with transaction.atomic():
        project = _project_transition(
            project,
            to=ProjectState.ACCEPTED,
            by=by,
            changes={"round": round},
            reason=_("受理并加入评审批次“%(name)s”") % {"name": round.name},
        )
        if round.state == RoundState.OPEN:
            # a round already under way: the application is reviewed at once
            project = _project_transition(project, to=ProjectState.UNDER_REVIEW, by=by)
        _notify_enterprise(
            project, title=Msg(gettext_lazy("合作项目“%(title)s”已通过形式审查"), title=project.title)
        )
    return project


# --- review rounds -----------------------------------------------------------------------------------


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


def _reviewer_facts(reviewer: Reviewer) -> dict:
    linked = {e.pk for e in reviewer.enterprises.all()}
    membership = getattr(reviewer.user, "enterprise_membership", None)
    if membership is not None:
        linked.add(membership.enterprise_id)
    return {
        "reviewer_user_id": reviewer.user_id,
        "reviewer_expert_id": reviewer.expert_id,
        "reviewer_institution_id": reviewer.institution_id,
        "reviewer_institution_name": reviewer.institution.name
        if reviewer.institution_id
        else reviewer.institution_name,
        "reviewer_enterprise_ids": frozenset(linked),
    }


def _project_facts(project: Project) -> dict:
    return {
        "expert_id": project.expert_id,
        "expert_user_id": project.expert.user_id,
        "expert_institution_id": project.expert.institution_id,
        "expert_institution_name": project.expert.institution.name,
        "enterprise_id": project.enterprise_id,
    }


def reviewer_conflicts(reviewer: Reviewer, project: Project) -> list[str]:
    """The SPEC §4 conflict codes between a reviewer and an application (empty: none)."""
    return policy.conflict_reasons(**_reviewer_facts(reviewer), **_project_facts(project))


def _project_text(project: Project) -> str:
    return " ".join([project.title, project.technical_field, project.objectives, project.content])


def fit_scores(projects: list[Project], reviewers: list[Reviewer]) -> dict[int, dict[int, float]]:
    """project id -> reviewer id -> fit in [0, 1]: the matching engine's BM25 text scoring of the
    application (title, field, objectives, content) against the reviewer's expertise, normalised to the
    best-fitting reviewer of each application."""
    from enterprises.matching import Doc, MatchIndex, tokenize

    if not projects or not reviewers:
        return {}
    index = MatchIndex([Doc(id=r.pk, fields={"keywords": tokenize(r.expertise)}) for r in reviewers])
    result: dict[int, dict[int, float]] = {}
    for project in projects:
        ranked = index.rank(tokenize(_project_text(project)), k=len(reviewers))
        result[project.pk] = {rec.id: min(max(rec.score, 0.0), 1.0) for rec in ranked}
    return result


def _round_projects(round: ReviewRound):
    return list(
        round.projects.filter(state__in=(ProjectState.ACCEPTED, ProjectState.UNDER_REVIEW))
        .select_related("expert__institution", "enterprise")
        .order_by("pk")
    )


def reviewer_pool() -> list[Reviewer]:
    """The active reviewers with what the conflict checks read (review rounds and the annual awards)."""
    return list(
        Reviewer.objects.filter(active=True, user__is_active=True)
        .select_related("institution", "user__enterprise_membership")
        .prefetch_related("enterprises")
        .order_by("pk")
    )


_reviewer_pool = reviewer_pool


def conflict_map(projects: Iterable[Project], reviewers: list[Reviewer]) -> dict[int, frozenset[int]]:
    """project id -> ids of the reviewers with a SPEC §4 conflict of interest on it (the one rule of the
    review rounds, also used by the annual awards). Projects need expert__institution selected."""
    facts = {r.pk: _reviewer_facts(r) for r in reviewers}
    result = {}
    for project in projects:
        pfacts = _project_facts(project)
        result[project.pk] = frozenset(
            r.pk for r in reviewers if policy.conflict_reasons(**facts[r.pk], **pfacts)
        )
    return result


def round_assign(*, round: ReviewRound, by):
    """Assign reviewers to every application of the round that lacks some: optimal min-cost flow over
    conflict-free pairs, N per application, balanced load, best fit. Returns the solver's result (its
    `short` names the applications that could not get N conflict-free reviewers)."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以分配评审专家。"))
    _require(round.state in (RoundState.DRAFT, RoundState.OPEN), _("评审批次已结束，不能再分配评审专家。"))
    projects = _round_projects(round)
    reviewers = _reviewer_pool()
    existing = list(
        ReviewAssignment.objects.filter(round=round).values_list("project_id", "reviewer_id", "state")
    )
    taken = defaultdict(set)  # project -> reviewers ever on it (declared conflicts and swaps included)
    active = defaultdict(int)
    load = defaultdict(int)
    for project_id, reviewer_id, state in existing:
        taken[project_id].add(reviewer_id)
        if state in ACTIVE_ASSIGNMENT_STATES:
            active[project_id] += 1
            load[reviewer_id] += 1
    fits = fit_scores(projects, reviewers)
    conflicted = conflict_map(projects, reviewers)
    slots = []
    for project in projects:
        need = max(round.reviewers_per_application - active[project.pk], 0)
        conflicts = conflicted[project.pk]
        slots.append(
            ApplicationSlot(
                key=project.pk,
                need=need,
                conflicts=frozenset(conflicts | taken[project.pk]),
                fit=fits.get(project.pk, {}),
            )
        )
    result = assign_reviewers(
        slots, [ReviewerSlot(key=r.pk, capacity=r.capacity, load=load[r.pk]) for r in reviewers]
    )
    with transaction.atomic():
        ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(
                    round=round,
                    project_id=project_id,
                    reviewer_id=reviewer_id,
                    fit=Decimal(str(round_fit(fits.get(project_id, {}).get(reviewer_id, 0.0)))),
                )
                for project_id, reviewer_id in result.pairs()
            ]
        )
        audit(
            by,
            "reviewround.assign",
            round,
            summary=_("分配 %(n)d 人次") % {"n": len(result.pairs())},
            data={"short": {str(k): v for k, v in result.short.items()}},
        )
        if round.state == RoundState.OPEN:
            _notify_reviewers(round, {r for _p, r in result.pairs()})
    return result


def round_fit(value: float) -> float:
    return round(float(value), 4)


def _notify_reviewers(round: ReviewRound, reviewer_ids: set[int]) -> None:
    for reviewer in Reviewer.objects.filter(pk__in=reviewer_ids).select_related("user"):
        notification_send(
            recipient=reviewer.user,
            title=Msg(gettext_lazy("评审批次“%(name)s”有待评审的项目"), name=round.name),
            body=Msg(
                gettext_lazy("请在 %(deadline)s 前完成评分。"),
                deadline=timezone.localtime(round.deadline).strftime("%Y-%m-%d %H:%M"),
            ),
            link=reverse("projects:review-list"),
            dedupe_key=f"round-{round.pk}-reviewer-{reviewer.pk}-{reviewer.assignments.filter(round=round).count()}",
        )


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
        updated = ReviewAssignment.objects.filter(pk=assignment.pk, state=AssignmentState.ASSIGNED).update(
            state=AssignmentState.CONFLICT, conflict_reason=reason.strip(), updated_at=timezone.now()
        )
        _require(updated == 1, _("该分配已变化，请刷新后重试。"))
        assignment.scores.all().delete()
        audit(by, "reviewassignment.conflict", assignment, data={"reason": reason.strip()})
        reviewers = _reviewer_pool()
        taken = set(ReviewAssignment.objects.filter(project=project).values_list("reviewer_id", flat=True))
        conflicted = {r.pk for r in reviewers if reviewer_conflicts(r, project)}
        loads = defaultdict(int)
        for reviewer_id in ReviewAssignment.objects.filter(
            round=round, state__in=ACTIVE_ASSIGNMENT_STATES
        ).values_list("reviewer_id", flat=True):
            loads[reviewer_id] += 1
        fits = fit_scores([project], reviewers).get(project.pk, {})
        pick = replacement_pick(
            conflicts=taken | conflicted,
            fit=fits,
            loads={r.pk: loads[r.pk] for r in reviewers},
            capacities={r.pk: r.capacity for r in reviewers},
        )
        replacement = None
        if pick is not None:
            replacement = ReviewAssignment.objects.create(
                round=round,
                project=project,
                reviewer_id=pick,
                fit=Decimal(str(round_fit(fits.get(pick, 0.0)))),
            )
            audit(None, "reviewassignment.replace", replacement, summary=f"{assignment.reviewer_id} → {pick}")
            if round.state == RoundState.OPEN:
                _notify_reviewers(round, {pick})
        else:
            for staff in _commission_users():
                notification_send(
                    recipient=staff,
                    title=Msg(gettext_lazy("申请“%(title)s”缺少评审专家"), title=project.title),
                    body=gettext_lazy("评审专家声明回避后，没有可替换的无利益冲突专家，请手工调整。"),
                    link=reverse("projects:round-detail", args=[round.pk]),
                )
    return replacement


def _commission_users():
    from accounts.models import User

    return User.objects.filter(roles__role=Role.COMMISSION, is_active=True).distinct()


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
        Score.objects.filter(assignment=locked).exclude(criterion_id__in=values).delete()
        for criterion_id, value in values.items():
            Score.objects.update_or_create(
                assignment=locked, criterion_id=criterion_id, defaults={"points": value}
            )
        locked.comment = comment.strip()
        locked.total = sum(values.values(), Decimal("0")) if values else None
        fields = ["comment", "total", "updated_at"]
        if submit:
            locked.state = AssignmentState.SUBMITTED
            locked.submitted_at = now
            fields += ["state", "submitted_at"]
        locked.save(update_fields=fields)
        audit(
            by,
            "reviewassignment.submit" if submit else "reviewassignment.save",
            locked,
            data={"total": str(locked.total)},
        )
    return locked


def round_results(round: ReviewRound) -> list[dict]:
    """Per application of the round: sheet totals, score (trimmed mean + leading-industry bonus), spread,
    rank and whether it reaches the pass line; ranked best first, unscored applications last."""
    projects = list(
        round.projects.exclude(
            state__in=(ProjectState.SUBMITTED, ProjectState.RETURNED, ProjectState.DRAFT)
        ).select_related("enterprise__industry", "expert")
    )
    totals = defaultdict(list)
    for project_id, total in ReviewAssignment.objects.filter(
        round=round, state=AssignmentState.SUBMITTED
    ).values_list("project_id", "total"):
        totals[project_id].append(total)
    scores = {}
    rows = {}
    for project in projects:
        sheet_totals = totals.get(project.pk, [])
        score = None
        if sheet_totals:
            score = policy.application_score(sheet_totals)
            if round.leading_industry_bonus and project.enterprise.industry.is_leading:
                score += round.leading_industry_bonus
            scores[project.pk] = score
        rows[project.pk] = {
            "project": project,
            "totals": sorted(sheet_totals),
            "score": score,
            "spread": policy.score_spread(sheet_totals),
            "rank": None,
            "passed": False,
        }
    for project_id, _score, rank, passed in policy.rank_applications(scores, round.pass_line):
        rows[project_id]["rank"] = rank
        rows[project_id]["passed"] = passed
    ranked = [rows[k] for k, *_rest in policy.rank_applications(scores, round.pass_line)]
    unscored = sorted((r for r in rows.values() if r["score"] is None), key=lambda r: r["project"].pk)
    return ranked + unscored


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


def project_decide(
    *,
    project: Project,
    by,
    approve: bool,
    reason: str = "",
    approved_funding: Decimal | None = None,
    social_science: bool | None = None,
) -> Project:
    """Staff decide approve / not approve; a decision against the pass line needs a reason.

    An approval confirms or corrects the category the enterprise declared (`social_science`, required
    then): the project subsidy uses the confirmed category (SPEC §5, the 100,000.00 cap). A correction
    is recorded in the transition's reason and the audit log."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以作出立项决定。"))
    round = project.round
    _require(round is not None and round.state == RoundState.CLOSED, _("评审批次结束后才能作出立项决定。"))
    if policy.departs_from_pass_line(approve, project.review_score, round.pass_line):
        _require(
            bool(reason.strip()),
            _("该决定与立项分数线（%(line)s 分）不一致，必须填写理由。") % {"line": f"{round.pass_line:g}"},
        )
    changes = {
        "decision": Decision.APPROVE if approve else Decision.REJECT,
        "decision_reason": reason.strip(),
        "decided_by": by,
        "decided_at": timezone.now(),
    }
    if approve:
        _require(
            social_science is not None,
            _("请确认或更正项目类别（企业申报为“%(declared)s”），补贴上限按区科委核定的类别计算。")
            % {"declared": project.get_social_science_display()},
        )
        funding = project.total_funds if approved_funding is None else approved_funding
        _require(Decimal("0") < funding <= project.total_funds, _("核定经费须大于0且不超过项目总经费。"))
        changes["approved_funding"] = funding
        changes["confirmed_social_science"] = bool(social_science)
        if bool(social_science) != project.social_science:
            corrected = _("项目类别由“%(declared)s”更正为“%(confirmed)s”") % {
                "declared": project.get_social_science_display(),
                "confirmed": dict(FIELD_CHOICES)[bool(social_science)],
            }
            reason = f"{reason.strip()}；{corrected}" if reason.strip() else corrected
            changes["decision_reason"] = reason
    with transaction.atomic():
        project = _project_transition(
            project,
            to=ProjectState.APPROVED if approve else ProjectState.NOT_APPROVED,
            by=by,
            reason=reason.strip(),
            changes=changes,
        )
    return project


def round_decide(*, round: ReviewRound, by, today: date | None = None) -> ReviewRound:
    """All applications decided: the round is decided; with a public notice, the approved list is
    published for `notice_days` working days from today."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以发布立项结果。"))
    undecided = list(round.projects.filter(state=ProjectState.REVIEWED).values_list("title", flat=True))
    _require(not undecided, _("还有申请未作出立项决定：%(titles)s") % {"titles": "、".join(undecided)})
    today = today or timezone.localdate()
    changes = {}
    if round.uses_notice:
        changes = {"notice_start": today, "notice_end": policy.add_working_days(today, round.notice_days)}
    with transaction.atomic():
        round = transition(round, to=RoundState.DECIDED, by=by, allowed=ROUND_TRANSITIONS, changes=changes)
        for project in round.projects.filter(state__in=(ProjectState.APPROVED, ProjectState.NOT_APPROVED)):
            if round.uses_notice and project.state == ProjectState.APPROVED:
                _project_transition(project, to=ProjectState.NOTICED, by=by)
            if project.state == ProjectState.NOT_APPROVED:
                title = Msg(gettext_lazy("合作项目“%(title)s”未获立项"), title=project.title)
            else:
                title = Msg(gettext_lazy("合作项目“%(title)s”已立项"), title=project.title)
            _notify_enterprise(project, title=title, body=UserText(project.decision_reason))
    return round


# --- public notice -----------------------------------------------------------------------------------


def objection_create(
    *, project: Project, name: str, contact: str, content: str, today: date | None = None
) -> Objection:
    today = today or timezone.localdate()
    round = project.round
    _require(
        project.state == ProjectState.NOTICED
        and round is not None
        and round.notice_start is not None
        and round.notice_start <= today <= round.notice_end,
        _("该项目不在公示期内，不能提出异议。"),
    )
    _require(
        bool(name.strip() and contact.strip() and content.strip()), _("请填写姓名、联系方式和异议内容。")
    )
    with transaction.atomic():
        objection = Objection.objects.create(
            project=project,
            objector_name=name.strip(),
            objector_contact=contact.strip(),
            content=content.strip(),
        )
        audit(None, "objection.create", objection, summary=project.title)
        for staff in _commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("公示项目“%(title)s”收到异议"), title=project.title),
                link=reverse("projects:round-detail", args=[round.pk]),
            )
    return objection


def objection_resolve(*, objection: Objection, by, upheld: bool, resolution: str) -> Objection:
    """Staff resolve an objection; an upheld objection withdraws the approval."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以处理异议。"))
    _require(bool(resolution.strip()), _("请填写处理意见。"))
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        _require(locked.state == ObjectionState.OPEN, _("该异议已处理。"))
        locked.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
        locked.resolution = resolution.strip()
        locked.resolved_by = by
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
        audit(by, "objection.resolve", locked, summary=locked.state)
        if upheld and locked.project.state == ProjectState.NOTICED:
            _project_transition(
                locked.project,
                to=ProjectState.NOT_APPROVED,
                by=by,
                reason=_("公示异议成立：%(r)s") % {"r": resolution.strip()},
                changes={"decision": Decision.REJECT},
            )
    return locked


def check_ready_for_filing(project: Project, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if project.state == ProjectState.NOTICED:
        _require(
            project.round.notice_end is not None and today > project.round.notice_end,
            _("“%(title)s”仍在公示期内（至 %(end)s），公示期满后才能备案。")
            % {"title": project.title, "end": project.round.notice_end},
        )
        _require(
            not project.objections.filter(state=ObjectionState.OPEN).exists(),
            _("“%(title)s”还有未处理的公示异议。") % {"title": project.title},
        )
    else:
        _require(
            project.state == ProjectState.APPROVED, _("“%(title)s”当前不能备案。") % {"title": project.title}
        )


# --- record-filing, agreement, appointment ----------------------------------------------------------


def filing_record(
    *, projects: Iterable[Project], by, number: str, filed_on: date, today: date | None = None
) -> list[Filing]:
    """The talent office records the filing number and date for one project or a whole list."""
    _require(by.has_role(Role.TALENT_OFFICE), _("只有区人才工作领导小组办公室可以备案。"))
    number = number.strip()
    _require(bool(number), _("请填写备案编号。"))
    today = today or timezone.localdate()
    _require(filed_on <= today, _("备案日期不能晚于今天。"))
    projects = list(projects)
    _require(bool(projects), _("请选择要备案的项目。"))
    for project in projects:
        check_ready_for_filing(project, today)
    filings = []
    with transaction.atomic():
        for project in projects:
            filings.append(
                Filing.objects.create(project=project, number=number, filed_on=filed_on, filed_by=by)
            )
            _project_transition(
                project, to=ProjectState.FILED, by=by, reason=_("备案编号 %(n)s") % {"n": number}
            )
            _notify_enterprise(
                project,
                title=Msg(
                    gettext_lazy("合作项目“%(title)s”已备案，请上传签订的合作协议"), title=project.title
                ),
            )
    return filings


def agreement_upload(*, project: Project, by, file, signed_on: date, today: date | None = None) -> Agreement:
    _require(
        _is_enterprise_member(by, project.enterprise_id) or by.has_role(Role.COMMISSION),
        _("只有申报企业或区科委工作人员可以上传合作协议。"),
    )
    today = today or timezone.localdate()
    _require(project.state == ProjectState.FILED, _("项目备案后才能上传合作协议。"))
    _require(signed_on <= today, _("签订日期不能晚于今天。"))
    filing = project.filing
    _require(signed_on >= filing.filed_on, _("签订日期不能早于备案日期（%(d)s）。") % {"d": filing.filed_on})
    with transaction.atomic():
        agreement = Agreement.objects.create(project=project, file=file, signed_on=signed_on, uploaded_by=by)
        _project_transition(project, to=ProjectState.AGREEMENT_SIGNED, by=by)
    return agreement


def appointment_term_months(on: date | None = None) -> int:
    """The term length (service months) of the policy version in force on `on` (default today): SPEC §4,
    staff never choose it; only an approved extension lengthens a term."""
    from subsidies.models import PolicyVersion
    from subsidies.selectors import policy_version_in_force

    on = on or timezone.localdate()
    try:
        return policy_version_in_force(on).term_months
    except PolicyVersion.DoesNotExist:
        raise ProjectError(
            _("%(d)s 没有生效的政策参数版本，无法确定服务期；请先维护政策参数。") % {"d": f"{on:%Y-%m-%d}"}
        ) from None


def appointment_earliest_start(project: Project) -> date | None:
    """The earliest start date of the project's term: not before its record-filing (备案) date nor the
    agreement's signing date (projects.policy.earliest_start)."""
    filing = Filing.objects.filter(project=project).only("filed_on").first()
    agreement = Agreement.objects.filter(project=project).only("signed_on").first()
    return policy.earliest_start(
        filed_on=filing.filed_on if filing else None, signed_on=agreement.signed_on if agreement else None
    )


def _overlapping_appointment(expert_id: int, start: date, end: date) -> Appointment | None:
    """Another appointment of the expert whose days (start to effective end) meet [start, end]."""
    for other in Appointment.objects.filter(expert_id=expert_id, start_date__lte=end).order_by("start_date"):
        if policy.terms_overlap(
            (start, end), (other.start_date, policy.effective_end(other.end_date, other.terminated_on))
        ):
            return other
    return None


def appointment_create(
    *,
    project: Project,
    by,
    start_date: date | None = None,
    issue_letters: bool = True,
) -> Appointment:
    """Staff appoint: the Appointment and, after commit, the two letters (district 科技副总聘书 and the
    enterprise's 企业任职聘书).

    The term's length is the policy version's (`PolicyVersion.term_months`, 24 in policy 2.0), never
    chosen by staff; the start is not before the record-filing date nor the agreement's signing date;
    and the term overlaps no other term of the expert (also a PostgreSQL exclusion constraint)."""
    _require(by.has_role(Role.COMMISSION), _("只有区科委工作人员可以聘任。"))
    _require(project.state == ProjectState.AGREEMENT_SIGNED, _("签订合作协议后才能聘任。"))
    _require(project.approved_funding is not None, _("项目尚未核定经费，不能聘任。"))
    start = start_date or project.requested_start
    try:
        months = appointment_term_months()
        filing = Filing.objects.filter(project=project).first()
        agreement = Agreement.objects.filter(project=project).first()
        policy.check_start_date(
            start,
            filed_on=filing.filed_on if filing else None,
            signed_on=agreement.signed_on if agreement else None,
        )
        end = policy.term_end(start, months)
    except PolicyError as error:
        raise ProjectError(str(error)) from error
    other = Appointment.objects.filter(expert_id=project.expert_id, state=AppointmentState.ACTIVE).first()
    _require(other is None, _("该专家已有聘任中的服务期（%(a)s），同一时间只能有一个聘任。") % {"a": other})
    overlap = _overlapping_appointment(project.expert_id, start, end)
    _require(overlap is None, _overlap_message(overlap, start, end))
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                project=project,
                expert_id=project.expert_id,
                enterprise_id=project.enterprise_id,
                position=project.position,
                start_date=start,
                months=months,
                end_date=end,
                created_by=by,
            )
            appointment.transitions.create(from_state="", to_state=AppointmentState.ACTIVE, actor=by)
            audit(by, "appointment.create", appointment, summary=str(appointment))
            _project_transition(project, to=ProjectState.APPOINTED, by=by)
            _notify_expert(
                project,
                title=Msg(gettext_lazy("您已被聘任为“科技副总”")),
                body=Msg(
                    gettext_lazy("%(expert)s · %(enterprise)s（%(start)s 至 %(end)s）"),
                    expert=appointment.expert.name,
                    enterprise=appointment.enterprise.name,
                    start=appointment.start_date,
                    end=appointment.end_date,
                ),
            )
            if issue_letters:
                appointment_id, by_id = appointment.pk, by.pk
                transaction.on_commit(lambda: _letters_after_commit(appointment_id, by_id))
            # The money terms: policy version in force, project subsidy, budget bookings (subsidies app;
            # imported here because subsidies depends on projects' models).
            from subsidies.exceptions import SubsidyError
            from subsidies.services import appointment_setup

            try:
                appointment_setup(appointment=appointment, by=by)
            except SubsidyError as error:
                raise ProjectError(str(error)) from error
    except IntegrityError as error:
        if "appointment_no_overlap_per_expert" in str(error):
            raise ProjectError(_overlap_message(None, start, end)) from error
        raise ProjectError(_("该专家已有聘任中的服务期，同一时间只能有一个聘任。")) from error
    return appointment


def _overlap_message(other: Appointment | None, start: date, end: date) -> str:
    if other is None:
        return _("该专家在 %(s)s 至 %(e)s 期间已有其他聘任，同一专家的服务期不能重叠。") % {
            "s": f"{start:%Y-%m-%d}",
            "e": f"{end:%Y-%m-%d}",
        }
    last = policy.effective_end(other.end_date, other.terminated_on)
    return _(
        "该专家已有服务期 %(os)s 至 %(oe)s（%(ent)s），与拟聘任的 %(s)s 至 %(e)s 重叠；"
        "同一专家的服务期不能重叠，请从 %(next)s 起聘任。"
    ) % {
        "os": f"{other.start_date:%Y-%m-%d}",
        "oe": f"{last:%Y-%m-%d}",
        "ent": other.enterprise,
        "s": f"{start:%Y-%m-%d}",
        "e": f"{end:%Y-%m-%d}",
        "next": f"{last + timedelta(days=1):%Y-%m-%d}",
    }


def _letters_after_commit(appointment_id: int, by_id: int) -> None:
    from .tasks import appointment_letters_task, dispatch

    dispatch(appointment_letters_task, appointment_id, by_id)


def appointment_end(
    *, appointment: Appointment, by, terminated_on: date | None = None, reason: str = ""
) -> Appointment:
    """End a term: normally at its end date (ENDED), or early with a date and reason (TERMINATED).

    A term that ends normally leaves the project 已聘任 (APPOINTED, still live: the expert cannot file
    another project before it is completed); the project is completed (结题) only when staff accept the
    term-end report (`project_complete`, called by terms.services.term_report_accept). A terminated term
    makes the project 已终止 (TERMINATED)."""
    _require(by is None or by.has_role(Role.COMMISSION), _("只有区科委工作人员可以终止聘任。"))
    with transaction.atomic():
        if terminated_on is None:
            appointment = transition(
                appointment, to=AppointmentState.ENDED, by=by, allowed=APPOINTMENT_TRANSITIONS, reason=reason
            )
        else:
            _require(bool(reason.strip()), _("提前终止必须填写原因。"))
            _require(
                appointment.start_date <= terminated_on <= appointment.end_date, _("终止日期须在聘期之内。")
            )
            appointment = transition(
                appointment,
                to=AppointmentState.TERMINATED,
                by=by,
                allowed=APPOINTMENT_TRANSITIONS,
                reason=reason,
                changes={"terminated_on": terminated_on},
            )
            _project_transition(appointment.project, to=ProjectState.TERMINATED, by=by, reason=reason)
            # Allowance months after the termination date are withdrawn (or reversed when paid) and their
            # budget bookings released, in this transaction (subsidies app; imported here as in create).
            from subsidies.exceptions import SubsidyError
            from subsidies.services import (
                allowances_withdraw_after_termination,
                subsidy_suspend_after_termination,
            )

            try:
                allowances_withdraw_after_termination(appointment=appointment, by=by)
                subsidy_suspend_after_termination(appointment=appointment, by=by)
            except SubsidyError as error:
                raise ProjectError(str(error)) from error
    return appointment


def project_complete(*, project: Project, by, reason: str = "") -> Project:
    """Completion (结题, SPEC §4: the final report accepted): APPOINTED → COMPLETED, through
    core.workflow (transition record and audit row). Only once the project's term has ended normally;
    the caller (terms.services.term_report_accept) records the Completion in the same transaction."""
    _require(by is not None and by.has_role(Role.COMMISSION), _("只有区科委工作人员可以验收结题。"))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(project=project).first()
        _require(
            appointment is not None and appointment.state == AppointmentState.ENDED,
            _("服务期届满后方可验收结题。"),
        )
        return _project_transition(project, to=ProjectState.COMPLETED, by=by, reason=reason)


def active_appointment_expert_ids() -> Iterable[int]:
    """Serving experts for the matching engine (registered in apps.ready)."""
    return Appointment.objects.filter(state=AppointmentState.ACTIVE).values_list("expert_id", flat=True)


# --- reviewer profiles ------------------------------------------------------------------------------


def reviewer_upsert(
    *,
    user,
    by,
    name: str,
    expertise: str,
    institution=None,
    institution_name: str = "",
    title: str = "",
    expert=None,
    enterprises=(),
    capacity: int | None = None,
) -> Reviewer:
    """Create or update the reviewer profile of a user (and grant the reviewer role)."""
    from accounts.services import role_grant

    _require(by is None or by.has_role(Role.COMMISSION), _("只有区科委工作人员可以维护评审专家库。"))
    with transaction.atomic():
        reviewer, _created = Reviewer.objects.update_or_create(
            user=user,
            defaults={
                "name": name,
                "expertise": expertise,
                "institution": institution,
                "institution_name": institution_name,
                "title": title,
                "expert": expert,
                "capacity": capacity,
            },
        )
        reviewer.enterprises.set(list(enterprises))
        role_grant(user=user, role=Role.REVIEWER, by=by)
        audit(by, "reviewer.upsert", reviewer, summary=name)
    return reviewer
