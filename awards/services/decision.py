"""The decision within the quotas: the levels the ranking proposes or staff set (a departure from the
ranking needs a reason), its approval (prizes, budget bookings and payments through
`subsidies.services`) and the payment batch of the prizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit

from .. import policy
from ..enums import ApplicationState, CycleState, PrizeLevel
from ..exceptions import AwardError
from ..models import Award, AwardApplication, AwardCycle
from ._common import _app_transition, _cycle_transition, _policy, _require, _staff


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
