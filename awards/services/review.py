"""The review: starting it, assigning reviewers with the review rounds' code (the conflict rule
`projects.services.conflict_map`, the text fit `projects.services.fit_scores`, the min-cost-flow
solver `projects.assignment.assign_reviewers`, `projects.assignment.replacement_pick` after a
declared conflict), the reviewers' score sheets (`projects.policy.sheet_points`) and closing it with
the final scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, notification_send
from projects.assignment import ApplicationSlot, ReviewerSlot, assign_reviewers
from projects.models import Reviewer
from projects.policy import sheet_points
from projects.services import conflict_map, fit_scores, replacement_for, reviewer_pool, round_fit, sheet_write

from ..enums import ACTIVE_SHEET_STATES, ApplicationState, CycleState, SheetState
from ..exceptions import AwardError
from ..models import AwardApplication, AwardCycle, AwardSheet
from ._common import _app_transition, _commission_users, _cycle_transition, _require, _staff


def _link(cycle: AwardCycle) -> str:
    return reverse("awards:cycle-detail", args=[cycle.pk])


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
        submit_as = SheetState.SUBMITTED if submit else None
        sheet_write(locked, values, comment=(comment or "").strip(), now=now, submit_as=submit_as)
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
        active = AwardSheet.objects.filter(cycle=cycle, state__in=ACTIVE_SHEET_STATES)
        pick, fit = replacement_for(application.project, reviewers, exclude=taken | conflicted, active=active)
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
            cycle=cycle, application=application, reviewer_id=pick, fit=fit
        )
        audit(None, "awardsheet.replace", replacement, summary=f"{sheet.reviewer_id} → {pick}")
        _notify_reviewers(cycle, {pick})
    return replacement


def cycle_close(*, cycle: AwardCycle, by) -> AwardCycle:
    """Scores become final: each application's trimmed mean, spread and rank are stored."""
    from ..selectors import cycle_results

    _staff(by)
    with transaction.atomic():
        cycle = _cycle_transition(cycle, to=CycleState.CLOSED, by=by)
        for row in cycle_results(cycle):
            AwardApplication.objects.filter(pk=row["application"].pk).update(
                score=row["score"], spread=row["spread"], rank=row["rank"]
            )
    return cycle
