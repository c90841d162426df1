"""Writes of the annual awards (年度评选): cycles, applications, reviewer assignment and score sheets,
the decision within the quotas, approval (prizes, budget bookings, payments), publication and
certificates.

The reviewers come from the review rounds' pool and are assigned by the same code: the conflict rule
`projects.services.conflict_map`, the text fit `projects.services.fit_scores`, the min-cost-flow solver
`projects.assignment.assign_reviewers` and, after a declared conflict, `projects.assignment.replacement_pick`.
Money goes through `subsidies.services.budget_commit` and `payment_create`; every state change through
`core.workflow.transition`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.audit import audit
from core.documents import document_issue
from core.exceptions import PolicyError
from core.models import DocumentKind, IssuedDocument
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition
from projects.assignment import ApplicationSlot, ReviewerSlot, assign_reviewers, replacement_pick
from projects.models import Project, Reviewer
from projects.policy import sheet_points
from projects.services import conflict_map, fit_scores, reviewer_pool, round_fit

from . import policy
from .enums import (
    ACTIVE_SHEET_STATES,
    APPLICATION_TRANSITIONS,
    CYCLE_TRANSITIONS,
    DEFAULT_RUBRIC,
    EDITABLE_STATES,
    ApplicationSource,
    ApplicationState,
    CycleState,
    PrizeLevel,
    SheetState,
)
from .exceptions import AwardError
from .models import Award, AwardApplication, AwardCriterion, AwardCycle, AwardScore, AwardSheet

CYCLE_FIELDS = (
    "title",
    "budget_year",
    "quota_first",
    "quota_second",
    "quota_third",
    "apply_start",
    "apply_end",
    "score_deadline",
    "reviewers_per_application",
)
QUOTA_FIELDS = ("quota_first", "quota_second", "quota_third")
APPLICATION_FIELDS = ("summary", *AwardApplication.EVIDENCE_FIELDS)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AwardError(message)


def _policy(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except PolicyError as error:
        raise AwardError(str(error)) from error


def _staff(by) -> None:
    _require(by is not None and by.has_role(Role.COMMISSION), _("只有区科委工作人员可以办理年度评选。"))


def enterprise_id_of(user) -> int | None:
    if user is None or not user.has_role(Role.ENTERPRISE):
        return None
    membership = getattr(user, "enterprise_membership", None)
    return membership.enterprise_id if membership is not None else None


def _link(cycle: AwardCycle) -> str:
    return reverse("awards:cycle-detail", args=[cycle.pk])


def _app_transition(application: AwardApplication, *, to: str, by, reason: str = "", changes=None):
    return transition(
        application, to=to, by=by, allowed=APPLICATION_TRANSITIONS, reason=reason, changes=changes
    )


def _cycle_transition(cycle: AwardCycle, *, to: str, by, reason: str = "", changes=None) -> AwardCycle:
    return transition(cycle, to=to, by=by, allowed=CYCLE_TRANSITIONS, reason=reason, changes=changes)


def _commission_users():
    from accounts.models import User

    return User.objects.filter(roles__role=Role.COMMISSION, is_active=True).distinct()


# --- cycles ---------------------------------------------------------------------------------------------


def _check_cycle_data(data: Mapping[str, object]) -> None:
    _require(bool(str(data.get("title") or "").strip()), _("请填写评选名称。"))
    start, end = data.get("apply_start"), data.get("apply_end")
    _require(start is not None and end is not None and end >= start, _("申报截止日期不能早于开始日期。"))
    for field in QUOTA_FIELDS:
        value = data.get(field)
        _require(value is not None and int(value) >= 0, _("名额须为不小于0的整数。"))
    _require(int(data.get("reviewers_per_application") or 0) >= 1, _("每项申请至少需要1名评审专家。"))


def cycle_create(*, by, year: int, data: Mapping[str, object], today: date | None = None) -> AwardCycle:
    """Staff open the cycle of `year`: quotas, windows, and the prize amounts of the policy version in
    force today (stored on the cycle). The default rubric is set; staff may change it while in draft."""
    from subsidies.models import PolicyVersion
    from subsidies.selectors import policy_version_in_force

    _staff(by)
    today = today or timezone.localdate()
    _require(year <= today.year, _("只能评选已结束或当前年度结题的项目。"))
    _check_cycle_data(data)
    _require(
        not AwardCycle.objects.filter(year=year).exists(), _("%(year)s年度评选已存在。") % {"year": year}
    )
    try:
        version = policy_version_in_force(today)
    except PolicyVersion.DoesNotExist:
        raise AwardError(_("没有生效的政策参数版本，无法确定奖金标准。")) from None
    fields = {k: data[k] for k in CYCLE_FIELDS if k in data}
    fields["title"] = str(fields["title"]).strip()
    fields.setdefault("budget_year", today.year)
    try:
        with transaction.atomic():
            cycle = AwardCycle.objects.create(year=year, policy_version=version, created_by=by, **fields)
            for order, (name, points) in enumerate(DEFAULT_RUBRIC, start=1):
                AwardCriterion.objects.create(cycle=cycle, name=str(name), max_points=points, order=order)
            cycle.transitions.create(from_state="", to_state=CycleState.DRAFT, actor=by)
            audit(by, "awardcycle.create", cycle, summary=cycle.title, data={"policy": version.code})
    except IntegrityError:
        raise AwardError(_("%(year)s年度评选已存在。") % {"year": year}) from None
    return cycle


def _differs(new, old) -> bool:
    """A changed setting (forms drop microseconds from date-times; they do not count)."""
    if isinstance(new, datetime) and isinstance(old, datetime):
        return new.replace(microsecond=0) != old.replace(microsecond=0)
    return new != old


def cycle_update(*, cycle: AwardCycle, by, data: Mapping[str, object]) -> AwardCycle:
    """Change the cycle: every field while in draft or open for applications; after that only the
    quotas, and only until the decision is approved (never below the levels already proposed)."""
    _staff(by)
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(
            locked.state not in (CycleState.DECIDED, CycleState.PUBLISHED),
            _("评选结果已审定，不能再修改名额等设置。"),
        )
        merged = {k: getattr(locked, k) for k in CYCLE_FIELDS}
        merged.update({k: v for k, v in data.items() if k in CYCLE_FIELDS})
        _check_cycle_data(merged)
        changed = [k for k in CYCLE_FIELDS if _differs(merged[k], getattr(locked, k))]
        if locked.state not in (CycleState.DRAFT, CycleState.OPEN):
            other = [k for k in changed if k not in QUOTA_FIELDS]
            _require(not other, _("评审开始后只能调整名额。"))
        proposed = dict(locked.applications.values_list("pk", "proposed_level"))
        _policy(
            policy.check_quotas,
            proposed,
            {1: int(merged["quota_first"]), 2: int(merged["quota_second"]), 3: int(merged["quota_third"])},
        )
        before = {k: str(getattr(locked, k)) for k in changed}
        for k in changed:
            setattr(locked, k, merged[k])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit(
                by,
                "awardcycle.update",
                locked,
                data={"before": before, "after": {k: str(merged[k]) for k in changed}},
            )
    return locked


def rubric_set(*, cycle: AwardCycle, by, criteria: Iterable[tuple[str, Decimal]]) -> None:
    """Replace the rubric (criteria with maximum points) while the cycle is in draft."""
    _staff(by)
    criteria = [(str(n).strip(), Decimal(p)) for n, p in criteria if str(n).strip()]
    _require(bool(criteria), _("请至少设置一项评审指标。"))
    _require(all(p > 0 for _n, p in criteria), _("每项指标的满分须大于0。"))
    _require(len({n for n, _p in criteria}) == len(criteria), _("评审指标名称不能重复。"))
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(locked.state == CycleState.DRAFT, _("评选开始申报后不能再修改评审指标。"))
        locked.criteria.all().delete()
        for order, (name, points) in enumerate(criteria, start=1):
            AwardCriterion.objects.create(cycle=locked, name=name, max_points=points, order=order)
        audit(by, "awardcycle.rubric", locked, data={"criteria": [[n, str(p)] for n, p in criteria]})


def cycle_open(*, cycle: AwardCycle, by) -> AwardCycle:
    """Start accepting applications (the window itself is checked at each submission)."""
    _staff(by)
    _require(cycle.criteria.exists(), _("请先设置评审指标。"))
    _require(sum(cycle.quotas.values()) > 0, _("请先设置获奖名额。"))
    return _cycle_transition(cycle, to=CycleState.OPEN, by=by)


# --- applications ---------------------------------------------------------------------------------------


def _completion_of(project: Project):
    from terms.models import Completion

    return Completion.objects.filter(project=project).select_related("appointment").first()


def _clean_application(data: Mapping[str, object]) -> dict[str, str]:
    clean = {k: str(data.get(k) or "").strip() for k in APPLICATION_FIELDS}
    _policy(
        policy.check_evidence,
        summary=clean["summary"],
        evidence={k: clean[k] for k in AwardApplication.EVIDENCE_FIELDS},
    )
    return clean


def _new_application(*, cycle, project, by, data, evidence_file, source) -> AwardApplication:
    clean = _clean_application(data)
    completion = _completion_of(project)
    from .selectors import previous_cutoff

    _policy(
        policy.check_eligible,
        completed_on=completion.accepted_on if completion else None,
        previous_cutoff=previous_cutoff(cycle),
        cutoff=cycle.apply_end,
        awarded=Award.objects.filter(application__project=project).exists(),
    )
    _require(
        not AwardApplication.objects.filter(cycle=cycle, project=project).exists(),
        _("项目“%(title)s”已申报%(year)s年度评选，不能重复申报。")
        % {"title": project.title, "year": cycle.year},
    )
    try:
        with transaction.atomic():
            application = AwardApplication(
                cycle=cycle,
                completion=completion,
                project=project,
                expert_id=project.expert_id,
                enterprise_id=project.enterprise_id,
                source=source,
                created_by=by,
                **clean,
            )
            if evidence_file:
                application.evidence_file.save(
                    getattr(evidence_file, "name", "evidence.pdf"), evidence_file, save=False
                )
            application.save()
            application.transitions.create(from_state="", to_state=ApplicationState.DRAFT, actor=by)
            audit(by, "awardapplication.create", application, summary=project.title, data={"source": source})
    except IntegrityError:
        raise AwardError(
            _("项目“%(title)s”已申报%(year)s年度评选，不能重复申报。")
            % {"title": project.title, "year": cycle.year}
        ) from None
    return application


def application_create(
    *,
    cycle: AwardCycle,
    project: Project,
    by,
    data: Mapping[str, object],
    evidence_file=None,
    today: date | None = None,
) -> AwardApplication:
    """The enterprise (main applicant) drafts the joint application of its completed project; the
    expert confirms it, then the enterprise submits it within the window."""
    _require(enterprise_id_of(by) == project.enterprise_id, _("只能为本企业的合作项目申报。"))
    _require(cycle.state == CycleState.OPEN, _("%(title)s当前不接受申报。") % {"title": cycle.title})
    _policy(
        policy.check_application_window,
        start=cycle.apply_start,
        end=cycle.apply_end,
        today=today or timezone.localdate(),
    )
    return _new_application(
        cycle=cycle,
        project=project,
        by=by,
        data=data,
        evidence_file=evidence_file,
        source=ApplicationSource.JOINT,
    )


def application_update(
    *, application: AwardApplication, by, data: Mapping[str, object], evidence_file=None
) -> AwardApplication:
    """The enterprise edits a draft or returned application; the expert's confirmation is withdrawn."""
    _require(enterprise_id_of(by) == application.enterprise_id, _("只能修改本企业的申报。"))
    clean = _clean_application(data)
    with transaction.atomic():
        locked = AwardApplication.objects.select_for_update().get(pk=application.pk)
        _require(locked.state in EDITABLE_STATES, _("申报已提交，不能修改。"))
        for k, v in clean.items():
            setattr(locked, k, v)
        locked.expert_confirmed_at = None
        if evidence_file:
            locked.evidence_file.save(
                getattr(evidence_file, "name", "evidence.pdf"), evidence_file, save=False
            )
        locked.save()
        audit(by, "awardapplication.update", locked)
    return locked


def application_confirm(*, application: AwardApplication, by) -> AwardApplication:
    """The expert confirms the joint application (the results summary and evidence are agreed)."""
    _require(application.expert.user_id == by.pk, _("只能确认本人作为专家的申报。"))
    with transaction.atomic():
        locked = AwardApplication.objects.select_for_update().get(pk=application.pk)
        _require(locked.state in EDITABLE_STATES, _("申报已提交，无需再确认。"))
        locked.expert_confirmed_at = timezone.now()
        locked.save(update_fields=["expert_confirmed_at", "updated_at"])
        audit(by, "awardapplication.confirm", locked)
    return locked


def application_submit(*, application: AwardApplication, by, today: date | None = None) -> AwardApplication:
    """The enterprise submits the confirmed joint application within the window."""
    _require(enterprise_id_of(by) == application.enterprise_id, _("只能提交本企业的申报。"))
    cycle = application.cycle
    _require(cycle.state == CycleState.OPEN, _("%(title)s当前不接受申报。") % {"title": cycle.title})
    _policy(
        policy.check_application_window,
        start=cycle.apply_start,
        end=cycle.apply_end,
        today=today or timezone.localdate(),
    )
    _require(application.expert_confirmed_at is not None, _("请先由专家确认申报内容。"))
    with transaction.atomic():
        locked = _app_transition(
            application, to=ApplicationState.SUBMITTED, by=by, changes={"submitted_at": timezone.now()}
        )
        for staff in _commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("年度评选收到新申报：%(title)s"), title=application.project.title),
                link=reverse("awards:application-detail", args=[application.pk]),
            )
    return locked


def application_nominate(
    *, cycle: AwardCycle, project: Project, by, data: Mapping[str, object], evidence_file=None
) -> AwardApplication:
    """Staff nominate a completed project (提名) while the cycle accepts applications."""
    _staff(by)
    _require(cycle.state == CycleState.OPEN, _("%(title)s当前不接受申报。") % {"title": cycle.title})
    with transaction.atomic():
        application = _new_application(
            cycle=cycle,
            project=project,
            by=by,
            data=data,
            evidence_file=evidence_file,
            source=ApplicationSource.NOMINATED,
        )
        application = _app_transition(
            application,
            to=ApplicationState.SUBMITTED,
            by=by,
            reason=_("区科委提名"),
            changes={"submitted_at": timezone.now()},
        )
    return application


def application_return(*, application: AwardApplication, by, reason: str) -> AwardApplication:
    """Staff send a submitted application back for revision (formal check) while applications are open."""
    _staff(by)
    _require(bool((reason or "").strip()), _("退回时请填写理由。"))
    _require(application.cycle.state == CycleState.OPEN, _("评审已开始，不能再退回申报。"))
    with transaction.atomic():
        locked = _app_transition(
            application,
            to=ApplicationState.RETURNED,
            by=by,
            reason=reason.strip(),
            changes={"expert_confirmed_at": None},
        )
        link = reverse("awards:application-detail", args=[application.pk])
        for member in application.enterprise.members.select_related("user"):
            notification_send(
                recipient=member.user,
                title=Msg(gettext_lazy("年度评选申报被退回修改")),
                body=UserText(reason.strip()),
                link=link,
            )
    return locked


# --- review: assignment and score sheets ----------------------------------------------------------------


def cycle_review_start(*, cycle: AwardCycle, by, today: date | None = None):
    """Close the applications (after the window) and start the review: submitted applications go under
    review and reviewers are assigned. Returns the solver's result."""
    _staff(by)
    today = today or timezone.localdate()
    _require(
        today > cycle.apply_end,
        _("申报期至%(end)s，截止后才能开始评审。") % {"end": f"{cycle.apply_end:%Y-%m-%d}"},
    )
    submitted = list(cycle.applications.filter(state=ApplicationState.SUBMITTED))
    _require(bool(submitted), _("本年度评选还没有已提交的申报。"))
    with transaction.atomic():
        cycle = _cycle_transition(cycle, to=CycleState.REVIEW, by=by)
        for application in submitted:
            _app_transition(application, to=ApplicationState.UNDER_REVIEW, by=by)
        return cycle_assign(cycle=cycle, by=by)


def _review_applications(cycle: AwardCycle) -> list[AwardApplication]:
    return list(
        cycle.applications.filter(state=ApplicationState.UNDER_REVIEW)
        .select_related("project__expert__institution", "project__enterprise", "expert", "enterprise")
        .order_by("pk")
    )


def _notify_reviewers(cycle: AwardCycle, reviewer_ids: set[int]) -> None:
    for reviewer in Reviewer.objects.filter(pk__in=reviewer_ids).select_related("user"):
        count = reviewer.award_sheets.filter(cycle=cycle).count()
        notification_send(
            recipient=reviewer.user,
            title=Msg(gettext_lazy("%(title)s有待评分的申报"), title=cycle.title),
            body=Msg(
                gettext_lazy("请在 %(deadline)s 前完成评分。"),
                deadline=timezone.localtime(cycle.score_deadline).strftime("%Y-%m-%d %H:%M"),
            ),
            link=reverse("awards:review-list"),
            dedupe_key=f"award-{cycle.pk}-reviewer-{reviewer.pk}-{count}",
        )


def cycle_assign(*, cycle: AwardCycle, by):
    """Give every application under review its N reviewers: the review rounds' conflict rule and
    min-cost-flow solver (balanced load, best fit); existing sheets count, so a rerun fills gaps only."""
    _staff(by)
    _require(cycle.state == CycleState.REVIEW, _("评选不在评审阶段，不能分配评审专家。"))
    applications = _review_applications(cycle)
    projects = [a.project for a in applications]
    reviewers = reviewer_pool()
    taken = defaultdict(set)
    active = defaultdict(int)
    load = defaultdict(int)
    for application_id, reviewer_id, state in AwardSheet.objects.filter(cycle=cycle).values_list(
        "application_id", "reviewer_id", "state"
    ):
        taken[application_id].add(reviewer_id)
        if state in ACTIVE_SHEET_STATES:
            active[application_id] += 1
            load[reviewer_id] += 1
    fits = fit_scores(projects, reviewers)
    conflicts = conflict_map(projects, reviewers)
    slots = [
        ApplicationSlot(
            key=a.pk,
            need=max(cycle.reviewers_per_application - active[a.pk], 0),
            conflicts=frozenset(conflicts[a.project_id] | taken[a.pk]),
            fit=fits.get(a.project_id, {}),
        )
        for a in applications
    ]
    result = assign_reviewers(
        slots, [ReviewerSlot(key=r.pk, capacity=r.capacity, load=load[r.pk]) for r in reviewers]
    )
    project_of = {a.pk: a.project_id for a in applications}
    with transaction.atomic():
        AwardSheet.objects.bulk_create(
            AwardSheet(
                cycle=cycle,
                application_id=application_id,
                reviewer_id=reviewer_id,
                fit=Decimal(str(round_fit(fits.get(project_of[application_id], {}).get(reviewer_id, 0.0)))),
            )
            for application_id, reviewer_id in result.pairs()
        )
        audit(
            by,
            "awardcycle.assign",
            cycle,
            summary=_("分配 %(n)d 人次") % {"n": len(result.pairs())},
            data={"short": {str(k): v for k, v in result.short.items()}},
        )
        _notify_reviewers(cycle, {r for _a, r in result.pairs()})
    return result


def _check_scoring_window(cycle: AwardCycle, now) -> None:
    _require(cycle.state == CycleState.REVIEW, _("%(title)s当前不在评分阶段。") % {"title": cycle.title})
    _require(
        now <= cycle.score_deadline,
        _("评分已于 %(deadline)s 截止，不能再保存或提交。")
        % {"deadline": timezone.localtime(cycle.score_deadline).strftime("%Y-%m-%d %H:%M")},
    )


def sheet_save(
    *, sheet: AwardSheet, by, points: Mapping[int, object], comment: str, submit: bool = False, now=None
) -> AwardSheet:
    """Save the reviewer's sheet as a draft, or submit it (every criterion scored, a comment): locked."""
    now = now or timezone.now()
    _require(sheet.reviewer.user_id == by.pk, _("只能为分配给自己的申报评分。"))
    cycle = sheet.cycle
    _check_scoring_window(cycle, now)
    _require(sheet.state == SheetState.ASSIGNED, _("评分表已提交并锁定，不能修改。"))
    criteria = list(cycle.criteria.all())
    try:
        values = sheet_points(criteria, points, comment=comment, submit=submit)
    except PolicyError as exc:
        raise AwardError(str(exc)) from None
    with transaction.atomic():
        locked = AwardSheet.objects.select_for_update().get(pk=sheet.pk)
        _require(locked.state == SheetState.ASSIGNED, _("评分表已提交并锁定，不能修改。"))
        AwardScore.objects.filter(sheet=locked).exclude(criterion_id__in=values).delete()
        for criterion_id, value in values.items():
            AwardScore.objects.update_or_create(
                sheet=locked, criterion_id=criterion_id, defaults={"points": value}
            )
        locked.comment = (comment or "").strip()
        locked.total = sum(values.values(), Decimal("0")) if values else None
        fields = ["comment", "total", "updated_at"]
        if submit:
            locked.state = SheetState.SUBMITTED
            locked.submitted_at = now
            fields += ["state", "submitted_at"]
        locked.save(update_fields=fields)
        audit(
            by,
            "awardsheet.submit" if submit else "awardsheet.save",
            locked,
            data={"total": str(locked.total)},
        )
    return locked


def sheet_declare_conflict(*, sheet: AwardSheet, by, reason: str, now=None) -> AwardSheet | None:
    """The reviewer declares a conflict: the sheet is withdrawn and the least-loaded conflict-free reviewer
    (best fit first) replaces it (`projects.assignment.replacement_pick`). None: nobody left, staff told."""
    now = now or timezone.now()
    _require(sheet.reviewer.user_id == by.pk, _("只能对分配给自己的申报声明回避。"))
    _require(bool((reason or "").strip()), _("请说明回避原因。"))
    cycle = sheet.cycle
    _check_scoring_window(cycle, now)
    _require(sheet.state == SheetState.ASSIGNED, _("评分已提交，不能再声明回避。"))
    application = AwardApplication.objects.select_related(
        "project__expert__institution", "project__enterprise"
    ).get(pk=sheet.application_id)
    with transaction.atomic():
        updated = AwardSheet.objects.filter(pk=sheet.pk, state=SheetState.ASSIGNED).update(
            state=SheetState.CONFLICT, conflict_reason=reason.strip(), updated_at=timezone.now()
        )
        _require(updated == 1, _("该评分表已变化，请刷新后重试。"))
        sheet.scores.all().delete()
        audit(by, "awardsheet.conflict", sheet, data={"reason": reason.strip()})
        reviewers = reviewer_pool()
        taken = set(AwardSheet.objects.filter(application=application).values_list("reviewer_id", flat=True))
        conflicted = conflict_map([application.project], reviewers)[application.project_id]
        loads = defaultdict(int)
        for reviewer_id in AwardSheet.objects.filter(cycle=cycle, state__in=ACTIVE_SHEET_STATES).values_list(
            "reviewer_id", flat=True
        ):
            loads[reviewer_id] += 1
        fits = fit_scores([application.project], reviewers).get(application.project_id, {})
        pick = replacement_pick(
            conflicts=taken | conflicted,
            fit=fits,
            loads={r.pk: loads[r.pk] for r in reviewers},
            capacities={r.pk: r.capacity for r in reviewers},
        )
        if pick is None:
            for staff in _commission_users():
                notification_send(
                    recipient=staff,
                    title=Msg(
                        gettext_lazy("评选申报“%(title)s”缺少评审专家"), title=application.project.title
                    ),
                    body=Msg(gettext_lazy("评审专家声明回避后，没有可替换的无利益冲突专家，请手工调整。")),
                    link=_link(cycle),
                )
            return None
        replacement = AwardSheet.objects.create(
            cycle=cycle,
            application=application,
            reviewer_id=pick,
            fit=Decimal(str(round_fit(fits.get(pick, 0.0)))),
        )
        audit(None, "awardsheet.replace", replacement, summary=f"{sheet.reviewer_id} → {pick}")
        _notify_reviewers(cycle, {pick})
    return replacement


def cycle_close(*, cycle: AwardCycle, by) -> AwardCycle:
    """Scores become final: each application's trimmed mean, spread and rank are stored."""
    from .selectors import cycle_results

    _staff(by)
    with transaction.atomic():
        cycle = _cycle_transition(cycle, to=CycleState.CLOSED, by=by)
        for row in cycle_results(cycle):
            AwardApplication.objects.filter(pk=row["application"].pk).update(
                score=row["score"], spread=row["spread"], rank=row["rank"]
            )
    return cycle


# --- decision -------------------------------------------------------------------------------------------


def _scores(cycle: AwardCycle) -> dict[int, Decimal | None]:
    return dict(
        cycle.applications.filter(state=ApplicationState.UNDER_REVIEW)
        .order_by("rank", "pk")
        .values_list("pk", "score")
    )


def decision_autofill(*, cycle: AwardCycle, by) -> dict[int, int | None]:
    """Propose the levels the ranking gives within the quotas. Refused (nothing changed) when equal
    scores straddle a quota line: staff then choose explicitly with `decision_set`."""
    _staff(by)
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(locked.state == CycleState.CLOSED, _("评审结束后、审定前才能评定奖励等级。"))
        scores = _scores(locked)
        ranked = [(k, s) for k, s in scores.items() if s is not None]
        plan = _policy(policy.prize_plan, ranked, locked.quotas)
        for pk in scores:
            AwardApplication.objects.filter(pk=pk).update(proposed_level=plan.get(pk))
        audit(by, "awardcycle.autofill", locked, data={str(k): v for k, v in plan.items()})
    return plan


def decision_set(*, cycle: AwardCycle, by, levels: Mapping[int, int | None], reason: str = "") -> None:
    """Staff set the level of each application (None: no prize) within the quotas. A choice that departs
    from the ranking — a lower score above a higher one, or a tie split across levels — needs a reason."""
    _staff(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(locked.state == CycleState.CLOSED, _("评审结束后、审定前才能评定奖励等级。"))
        scores = _scores(locked)
        unknown = set(levels) - set(scores)
        _require(not unknown, _("只能为本年度评审中的申报评定奖励等级。"))
        chosen = {pk: (int(levels[pk]) if levels.get(pk) not in (None, "") else None) for pk in scores}
        _policy(policy.check_quotas, chosen, locked.quotas)
        _require(
            all(scores[pk] is not None for pk, level in chosen.items() if level is not None),
            _("没有评审得分的申报不能获奖。"),
        )
        departures = policy.decision_departures(scores, chosen)
        _require(
            not departures or bool(reason),
            _("评定结果与排名不一致（含并列分数分属不同等级），请填写评定理由。"),
        )
        for pk, level in chosen.items():
            AwardApplication.objects.filter(pk=pk).update(proposed_level=level)
        locked.decision_reason = reason
        locked.save(update_fields=["decision_reason", "updated_at"])
        audit(
            by,
            "awardcycle.decide",
            locked,
            summary=reason[:300],
            data={"levels": {str(k): v for k, v in chosen.items()}, "departures": len(departures)},
        )


def cycle_approve(
    *, cycle: AwardCycle, by, override_reason: str = "", today: date | None = None
) -> list[Award]:
    """Approve the decision (审定): one prize per chosen application, booked against the budget year
    (`subsidies.services.budget_commit`, category award) and due to the expert personally
    (`subsidies.services.payment_create`). Over the remaining budget only with `override_reason`. The
    quotas are checked on the locked cycle and by the database trigger."""
    from subsidies.enums import BudgetCategory, PayeeKind
    from subsidies.exceptions import SubsidyError
    from subsidies.models import BankAccount
    from subsidies.services import budget_commit, payment_create

    _staff(by)
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            locked = AwardCycle.objects.select_for_update().select_related("policy_version").get(pk=cycle.pk)
            _require(locked.state == CycleState.CLOSED, _("评审结束后才能审定评选结果。"))
            applications = list(
                locked.applications.filter(state=ApplicationState.UNDER_REVIEW)
                .select_related("expert", "enterprise", "project")
                .order_by("proposed_level", "rank", "pk")
            )
            chosen = {a.pk: a.proposed_level for a in applications}
            _policy(policy.check_quotas, chosen, locked.quotas)
            scores = {a.pk: a.score for a in applications}
            _require(
                not policy.decision_departures(scores, chosen) or bool(locked.decision_reason),
                _("评定结果与排名不一致，请先填写评定理由。"),
            )
            locked = _cycle_transition(locked, to=CycleState.DECIDED, by=by)
            awards = []
            for application in applications:
                if application.proposed_level is None:
                    _app_transition(application, to=ApplicationState.NOT_AWARDED, by=by)
                    continue
                level = PrizeLevel(application.proposed_level)
                amount = _policy(policy.award_amount, level, locked.amounts)
                award = Award.objects.create(
                    cycle=locked,
                    application=application,
                    level=level,
                    amount=amount,
                    expert=application.expert,
                    enterprise=application.enterprise,
                    created_by=by,
                )
                label = _("%(year)s年度“科技副总”年度评选%(level)s奖金") % {
                    "year": locked.year,
                    "level": level.label,
                }
                commitment = budget_commit(
                    year=locked.budget_year,
                    category=BudgetCategory.AWARD,
                    amount=amount,
                    description=f"{label}：{application.expert.name}（{application.project.title}）",
                    by=by,
                    source=award,
                    override_reason=override_reason,
                )
                payment = payment_create(
                    category=BudgetCategory.AWARD,
                    budget_year=locked.budget_year,
                    payee_kind=PayeeKind.EXPERT,
                    payee_name=application.expert.name,
                    amount=amount,
                    purpose=label,
                    due_on=today,
                    by=by,
                    expert=application.expert,
                    bank_account=BankAccount.objects.filter(expert=application.expert).first(),
                )
                award.commitment, award.payment = commitment, payment
                award.save(update_fields=["commitment", "payment"])
                _app_transition(application, to=ApplicationState.AWARDED, by=by)
                awards.append(award)
    except SubsidyError as error:
        raise AwardError(str(error)) from error
    except IntegrityError as error:
        raise AwardError(_("获奖数量超出名额，评选结果未审定。")) from error
    return awards


def cycle_publish(*, cycle: AwardCycle, by, today: date | None = None) -> AwardCycle:
    """Publish the approved result list on the portal; notify the winners; certificates are issued
    after commit (a task; inline without a broker)."""
    _staff(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        cycle = _cycle_transition(cycle, to=CycleState.PUBLISHED, by=by, changes={"published_on": today})
        for award in cycle.awards.select_related("expert__user", "enterprise", "application__project"):
            title = Msg(
                gettext_lazy("祝贺！“%(title)s”获%(year)s年度“科技副总”年度评选%(level)s"),
                title=award.application.project.title,
                year=cycle.year,
                level=PrizeLevel(award.level).label,
            )
            link = reverse("awards:application-detail", args=[award.application_id])
            if award.expert.user_id:
                notification_send(recipient=award.expert.user, title=title, link=link)
            for member in award.enterprise.members.select_related("user"):
                notification_send(recipient=member.user, title=title, link=link)
        cycle_id, by_id = cycle.pk, by.pk
        transaction.on_commit(lambda: _certificates_after_commit(cycle_id, by_id))
    return cycle


def _certificates_after_commit(cycle_id: int, by_id: int) -> None:
    from projects.tasks import dispatch

    from .tasks import award_certificates_task

    dispatch(award_certificates_task, cycle_id, by_id)


def certificate_issue(*, award: Award, by) -> IssuedDocument:
    """The award certificate (获奖证书, PDF with serial and verification QR code); idempotent."""
    from .pdf import certificate_context

    _require(award.cycle.state == CycleState.PUBLISHED, _("评选结果公布后才能出具获奖证书。"))
    return document_issue(
        kind=DocumentKind.AWARD_CERTIFICATE,
        subject=award,
        title=_("%(year)s年度昌平区“科技副总”年度评选获奖证书") % {"year": award.cycle.year},
        template_name="awards/pdf/certificate.html",
        context=certificate_context(award),
        by=by,
    )


def certificates_issue(*, cycle: AwardCycle, by) -> int:
    awards = list(
        cycle.awards.select_related("cycle", "expert__institution", "enterprise", "application__project")
    )
    for award in awards:
        certificate_issue(award=award, by=by)
    return len(awards)


def cycle_payment_batch(*, cycle: AwardCycle, by):
    """Put the prizes' unpaid payments into a new draft payment batch for finance (subsidies app)."""
    from subsidies.exceptions import SubsidyError
    from subsidies.models import Payment
    from subsidies.services import batch_add_payments, batch_create

    _staff(by)
    _require(cycle.state in (CycleState.DECIDED, CycleState.PUBLISHED), _("评选结果审定后才能生成支付批次。"))
    payments = list(
        Payment.objects.filter(award__cycle=cycle, batch__isnull=True, paid_on__isnull=True).order_by("pk")
    )
    _require(bool(payments), _("没有待纳入支付批次的奖金。"))
    try:
        with transaction.atomic():
            batch = batch_create(
                title=_("%(year)s年度“科技副总”年度评选奖金") % {"year": cycle.year},
                year=cycle.budget_year,
                by=by,
            )
            batch_add_payments(batch=batch, payments=payments, by=by)
    except SubsidyError as error:
        raise AwardError(str(error)) from error
    return batch
