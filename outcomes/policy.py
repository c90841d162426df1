"""Pure rules of service outcomes (issue 21): the reporting window, what each kind requires, who may do
what (separation of duties), the identifier guard's normal form, "target met", the quarterly reminder.
No ORM; every refusal raises `OutcomeError` (a PolicyError / ValueError) with a message for the user.

GRACE_DAYS — an outcome may be reported during the term and up to 90 days after its last day (the day
the term ended, or the termination date): a patent granted or a contract registered in the last weeks
of a term usually has its certificate only weeks later. Reporting also closes when the project is
completed (结题): the accepted report is final.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .enums import OUTCOME_TRANSITIONS, OutcomeAction, OutcomeState, Side
from .exceptions import OutcomeError

GRACE_DAYS = 90

#: evidence of an outcome is a certificate, a contract or a notice: a PDF or a scan (JPEG/PNG)
EVIDENCE_KINDS = ("pdf", "jpeg", "png")

_SEPARATORS = re.compile(r"[\s\-_/\\·.,，。、:：;；()（）\[\]【】]+")
_PATENT_PREFIX = re.compile(r"^(ZL|CN)")


def normalise_identifier(raw: str, *, patent: bool = False) -> str:
    """The form under which an identifier counts once: full-width characters folded (NFKC), upper case,
    spaces and punctuation dropped; for patents also the ZL/CN prefix (ZL 2023 1 0123456.7, CN202310123456.7
    and 202310123456.7 are one patent)."""
    value = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or "").upper())
    if patent:
        value = _PATENT_PREFIX.sub("", value)
    return value


def reporting_deadline(term_end: date, grace_days: int = GRACE_DAYS) -> date:
    """The last day an outcome of a term that ends (or ended) on `term_end` may be reported."""
    return term_end + timedelta(days=grace_days)


def check_reporting_window(
    *,
    achieved_on: date,
    term_start: date,
    term_end: date,
    today: date,
    completed: bool = False,
    grace_days: int = GRACE_DAYS,
) -> None:
    """The outcome is dated within the term or its grace period, not in the future, and reporting is
    still open (before the deadline and before completion)."""
    deadline = reporting_deadline(term_end, grace_days)
    if completed:
        raise OutcomeError("该合作项目已结题，不能再填报成果")
    if today > deadline:
        raise OutcomeError(f"成果填报期已于{deadline:%Y年%m月%d日}截止（服务期结束后{grace_days}天内可填报）")
    if achieved_on > today:
        raise OutcomeError("取得日期不能晚于今天")
    if achieved_on < term_start or achieved_on > deadline:
        raise OutcomeError(
            f"取得日期应在服务期内或服务期结束后{grace_days}天内"
            f"（{term_start:%Y年%m月%d日}至{deadline:%Y年%m月%d日}）"
        )


@dataclass(frozen=True)
class KindRules:
    """What an outcome kind requires (outcomes.OutcomeKind's flags)."""

    identifier_required: bool = False
    evidence_required: bool = True
    has_level: bool = False
    has_amount: bool = False
    enterprise_only: bool = False


def check_values(
    rules: KindRules,
    *,
    side: str,
    identifier: str,
    level: str,
    quantity: int | None,
    amount: Decimal | None,
    has_evidence: bool,
) -> None:
    """The outcome's values against its kind: amount not negative (and given when the kind has one),
    quantity at least 1, identifier, level and evidence when the kind requires them, and declared-only
    kinds (new sales, new tax) reported by the enterprise."""
    if amount is not None and amount < 0:
        raise OutcomeError("金额不能为负数")
    if rules.has_amount and amount is None:
        raise OutcomeError("该类成果需填写金额")
    if quantity is None or quantity < 1:
        raise OutcomeError("数量至少为 1")
    if rules.identifier_required and not (identifier or "").strip():
        raise OutcomeError("该类成果需填写编号（如专利号、合同登记号）")
    if rules.has_level and not level:
        raise OutcomeError("该类成果需选择级别")
    if rules.evidence_required and not has_evidence:
        raise OutcomeError("该类成果需上传证明材料")
    if rules.enterprise_only and side != Side.ENTERPRISE:
        raise OutcomeError("该类成果由企业申报")


@dataclass(frozen=True)
class Actor:
    """Who is acting on one outcome: the sides of its appointment the user belongs to, whether the user is
    commission staff, and whether the user is the one who reported it (or belongs to the reporting side)."""

    sides: frozenset = frozenset()
    staff: bool = False
    reporter: bool = False


_TARGETS = {
    OutcomeAction.CONFIRM: OutcomeState.AWAITING_VERIFICATION,
    OutcomeAction.DISPUTE: OutcomeState.RETURNED,
    OutcomeAction.VERIFY: OutcomeState.VERIFIED,
    OutcomeAction.RETURN: OutcomeState.RETURNED,
    OutcomeAction.REJECT: OutcomeState.REJECTED,
    OutcomeAction.RESUBMIT: OutcomeState.AWAITING_CONFIRMATION,
    OutcomeAction.WITHDRAW: OutcomeState.WITHDRAWN,
}
#: the actions that need a reason
REASON_ACTIONS = frozenset({OutcomeAction.DISPUTE, OutcomeAction.RETURN, OutcomeAction.REJECT})


def action_target(action: str) -> OutcomeState:
    return _TARGETS[OutcomeAction(action)]


def action_refusal(*, action: str, state: str, reporter_side: str, actor: Actor) -> str | None:
    """Why `actor` may not take `action` on an outcome in `state` reported by `reporter_side`; None when
    allowed. Separation of duties: the other side confirms (never the reporting side); commission staff
    verify, return or reject — never whoever reported it, even when the user holds both roles; only the
    reporting side resubmits or withdraws."""
    action = OutcomeAction(action)
    target = _TARGETS[action]
    if target not in OUTCOME_TRANSITIONS.get(state, ()):
        return f"成果当前为“{OutcomeState(state).label}”，不能{action.label}"
    other = Side.EXPERT if reporter_side == Side.ENTERPRISE else Side.ENTERPRISE
    if action in (OutcomeAction.CONFIRM, OutcomeAction.DISPUTE):
        if actor.reporter or reporter_side in actor.sides:
            return "成果须由合作另一方确认，填报方不能自行确认"
        if other not in actor.sides:
            return "只有合作另一方可以确认成果"
        return None
    if action in (OutcomeAction.VERIFY, OutcomeAction.RETURN, OutcomeAction.REJECT):
        if not actor.staff:
            return "只有区科委工作人员可以核实成果"
        if actor.reporter or reporter_side in actor.sides:
            return "不能核实本人（本方）填报的成果"
        return None
    if not actor.reporter and reporter_side not in actor.sides:
        return "只有填报方可以重新提交或撤回成果"
    return None


def check_action(*, action: str, state: str, reporter_side: str, actor: Actor, reason: str = "") -> None:
    refusal = action_refusal(action=action, state=state, reporter_side=reporter_side, actor=actor)
    if refusal:
        raise OutcomeError(refusal)
    if OutcomeAction(action) in REASON_ACTIONS and not (reason or "").strip():
        raise OutcomeError("请填写理由")


def target_met(
    *,
    target_quantity: int | None,
    target_amount: Decimal | None,
    verified_quantity: int,
    verified_amount: Decimal,
) -> bool:
    """A target is met when the verified outcomes reach every part of it that was set (a quantity, an
    amount, or both); a target with neither part set counts as met once one outcome is verified."""
    if target_quantity is None and target_amount is None:
        return verified_quantity >= 1
    if target_quantity is not None and verified_quantity < target_quantity:
        return False
    return not (target_amount is not None and verified_amount < target_amount)


def check_target(*, quantity: int | None, amount: Decimal | None) -> None:
    if quantity is None and amount is None:
        raise OutcomeError("请填写目标数量或金额")
    if quantity is not None and quantity < 1:
        raise OutcomeError("目标数量至少为 1")
    if amount is not None and amount < 0:
        raise OutcomeError("金额不能为负数")


def check_override(*, computed: bool, met: bool, reason: str) -> None:
    """ "Met" departs from what the verified outcomes give only with a reason."""
    if met != computed and not (reason or "").strip():
        raise OutcomeError("调整“是否达成”须填写理由")


def quarter_key(day: date) -> str:
    """ "2026Q3": the quarter `day` falls in."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarterly_reminder_due(
    *, today: date, term_start: date, term_end: date, completed: bool, grace_days: int = GRACE_DAYS
) -> str | None:
    """The quarter whose reminder to report outcomes is due for a term on `today` (the job runs daily; the
    notification's dedupe key makes it once per quarter and recipient), or None outside the reporting
    window."""
    if completed or today < term_start or today > reporting_deadline(term_end, grace_days):
        return None
    return quarter_key(today)
