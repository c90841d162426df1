"""The review: starting it, assigning reviewers with the review rounds' code
(`projects.services.sheets_assign`; `conflict_withdraw` and `replacement_for` after a declared conflict),
the reviewers' score sheets (`projects.policy.sheet_points`, `projects.services.sheet_write`) and closing
it with the final scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import commission_users
from core.audit import audit
from core.exceptions import PolicyError
from core.notifications import Msg, notification_send
from projects.policy import sheet_points
from projects.services import conflict_withdraw, replacement_for, reviewers_notify, sheet_write, sheets_assign

from ..enums import ACTIVE_SHEET_STATES, ApplicationState, CycleState, SheetState
from ..exceptions import AwardError
from ..models import AwardApplication, AwardCycle, AwardSheet
from ._common import _app_transition, _cycle_transition, _require, _staff


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
    reviewers_notify(
        reviewer_ids,
        sheets=cycle.sheets.all(),
        title=Msg(gettext_lazy("%(title)s有待评分的申报"), title=cycle.title),
        deadline=cycle.score_deadline,
        link=reverse("awards:review-list"),
        dedupe=f"award-{cycle.pk}",
    )


def cycle_assign(*, cycle: AwardCycle, by):
    """Give every application under review its N reviewers with the review rounds' code
    (`projects.services.sheets_assign`); existing sheets count, so a rerun fills gaps only."""
    _staff(by)
    _require(cycle.state == CycleState.REVIEW, _("评选不在评审阶段，不能分配评审专家。"))
    with transaction.atomic():
        result = sheets_assign(
            cycle,
            AwardSheet,
            owner_field="cycle",
            key="application_id",
            items={a.pk: a.project for a in _review_applications(cycle)},
            per_item=cycle.reviewers_per_application,
            active_states=ACTIVE_SHEET_STATES,
            by=by,
            action="awardcycle.assign",
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
        withdrawn = conflict_withdraw(
            sheet,
            by=by,
            reason=reason.strip(),
            assigned=SheetState.ASSIGNED,
            conflict=SheetState.CONFLICT,
            action="awardsheet.conflict",
        )
        _require(withdrawn, _("该评分表已变化，请刷新后重试。"))
        pick, fit = replacement_for(
            application.project,
            taken=AwardSheet.objects.filter(application=application),
            active=AwardSheet.objects.filter(cycle=cycle, state__in=ACTIVE_SHEET_STATES),
        )
        if pick is None:
            for staff in commission_users():
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
