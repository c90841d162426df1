"""Pure rules of the credit record (issue 21 item 5). No ORM.

Each proposal rule takes the facts of one source record and returns the records it proposes (usually one,
none when the facts do not meet the rule). The nightly job (credit.services.credit_propose) reads the facts,
calls these rules and writes what they return — exactly once per source record, rule and subject kind.
The parameters below are the district's working values; the policy text of 2.0 fixes none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from core.exceptions import PolicyError
from terms.policy import report_due_date

from .enums import CreditRule, CreditState, Polarity, Severity, SubjectKind

#: The objection window (异议期): calendar days from the day the subject is notified.
OBJECTION_DAYS = 10
#: A matching allowance month unconfirmed this many months after its due date proposes a record.
MATCHING_UNCONFIRMED_MONTHS = 3
#: A term-end report still not submitted this many days after its due date proposes a record.
REPORT_OVERDUE_GRACE_DAYS = 30
#: How long a record stays active, from the day of the fact (in years).
VALIDITY_YEARS = {
    Severity.MINOR: 1,
    Severity.SERIOUS: 3,
    Severity.GRAVE: 5,
    None: 3,  # a positive record
}

#: The basis text of each rule, shown with the record (what it rests on).
BASIS = {
    CreditRule.MATCHING_UNCONFIRMED: (
        "《昌平区“科技副总”柔性引才工作实施意见（2.0版）》五（二）2：企业按月发放配套生活补助"
        f"（应付之日起 {MATCHING_UNCONFIRMED_MONTHS} 个月仍未确认支付）"
    ),
    CreditRule.REPORT_OVERDUE: (
        "实施意见四（四）：服务期满后提交总结报告"
        f"（截止日后 {REPORT_OVERDUE_GRACE_DAYS} 天仍未联合提交）"
    ),
    CreditRule.EARLY_TERMINATION: "实施意见四（三）：聘任提前终止（终止原因见事实，由区科委判断责任方）",
    CreditRule.EVALUATION_FAIL: "实施意见四（四）：期满考核评价结果为“不合格”",
    CreditRule.EVALUATION_EXCELLENT: "实施意见四（四）：期满考核评价结果为“优秀”",
    CreditRule.REVIEW_DEADLINE_MISSED: "评审工作规则：评审专家应在评分截止时间前提交评分表",
    CreditRule.AWARD_WINNER: "实施意见五（二）3：年度评选获奖",
}


@dataclass(frozen=True)
class Proposal:
    rule: str
    subject_kind: str
    polarity: str
    severity: str  # "" for a positive record
    occurred_on: date
    conduct: str

    @property
    def valid_until(self) -> date:
        return valid_until(self.occurred_on, self.severity or None)

    @property
    def basis(self) -> str:
        return BASIS[self.rule]


def valid_until(occurred_on: date, severity: str | None) -> date:
    """The last day a record stays active: the fact's date plus the validity of its severity."""
    if severity not in VALIDITY_YEARS:
        raise PolicyError("未知的严重程度")
    return occurred_on + relativedelta(years=VALIDITY_YEARS[severity]) - timedelta(days=1)


def objection_deadline(notified_on: date) -> date:
    """The last day of the objection window."""
    return notified_on + timedelta(days=OBJECTION_DAYS)


def is_active(*, state: str, valid_until: date, today: date) -> bool:
    """A record counts (in the 信用提示 panel) while confirmed and not past its last day."""
    return state == CreditState.CONFIRMED and today <= valid_until


def is_expiry_due(*, state: str, valid_until: date, today: date) -> bool:
    return state == CreditState.CONFIRMED and today > valid_until


def confirm_blocker(*, state: str, deadline: date | None, today: date, open_objections: int,
                    handled_objections: int) -> str | None:
    """Why the record cannot be confirmed yet (None: it can). Staff confirm only a record the subject was
    told of, once the objection window has passed or an objection of theirs has been handled; never while
    an objection is open."""
    if state != CreditState.NOTIFIED or deadline is None:
        return "只有已告知主体的记录才能确认"
    if open_objections:
        return "主体提出的异议尚未处理，处理后才能确认"
    if today <= deadline and not handled_objections:
        return f"异议期至{deadline:%Y年%m月%d日}，期满后才能确认"
    return None


def objection_blocker(*, state: str, deadline: date | None, today: date) -> str | None:
    """Why the subject cannot file an objection now (None: they can)."""
    if state != CreditState.NOTIFIED or deadline is None:
        return "只能对异议期内的记录提出异议"
    if today > deadline:
        return f"异议期已于{deadline:%Y年%m月%d日}届满"
    return None


def check_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise PolicyError("请填写理由")
    return reason


# --- proposal rules -----------------------------------------------------------------------------------

_BOTH = (SubjectKind.EXPERT, SubjectKind.ENTERPRISE)


def _propose(
    rule: str, kinds, occurred_on: date, conduct: str, severity: str = Severity.MINOR
) -> list[Proposal]:
    """One proposal of `rule` per subject kind in `kinds` (one kind or a tuple): negative with `severity`,
    positive when the severity is ""."""
    polarity = Polarity.NEGATIVE if severity else Polarity.POSITIVE
    return [
        Proposal(
            rule=rule,
            subject_kind=kind,
            polarity=polarity,
            severity=severity,
            occurred_on=occurred_on,
            conduct=conduct,
        )
        for kind in (kinds if isinstance(kinds, tuple) else (kinds,))
    ]


def matching_unconfirmed(*, unconfirmed: list[tuple[int, date]], as_of: date) -> list[Proposal]:
    """An appointment's enterprise matching allowance months (month number, due date) still unconfirmed:
    one negative record of the enterprise when any is unconfirmed MATCHING_UNCONFIRMED_MONTHS after its
    due date, naming every such month."""
    late = sorted(
        (month, due) for month, due in unconfirmed
        if as_of > due + relativedelta(months=MATCHING_UNCONFIRMED_MONTHS)
    )
    if not late:
        return []
    months = "、".join(f"第{m}月" for m, _due in late)
    first_due = late[0][1]
    return _propose(
        CreditRule.MATCHING_UNCONFIRMED,
        SubjectKind.ENTERPRISE,
        first_due + relativedelta(months=MATCHING_UNCONFIRMED_MONTHS),
        f"企业配套生活补助{months}（最早应付日{first_due:%Y-%m-%d}）逾期"
        f"{MATCHING_UNCONFIRMED_MONTHS}个月以上未确认支付",
    )


def report_overdue(*, end_date: date, terminated: bool, submitted: bool, as_of: date) -> list[Proposal]:
    """The term-end report (drafted by the enterprise, confirmed by the expert) not jointly submitted
    REPORT_OVERDUE_GRACE_DAYS after its due date: a negative record of the enterprise. A terminated term
    needs no report."""
    if terminated or submitted:
        return []
    due = report_due_date(end_date)
    limit = due + timedelta(days=REPORT_OVERDUE_GRACE_DAYS)
    if as_of <= limit:
        return []
    return _propose(
        CreditRule.REPORT_OVERDUE,
        SubjectKind.ENTERPRISE,
        limit,
        f"服务期满总结报告应于{due:%Y-%m-%d}前提交，至{limit:%Y-%m-%d}仍未提交",
    )


def early_termination(*, terminated_on: date, reason: str) -> list[Proposal]:
    """An early termination: the cause is free text, so the rule proposes a record for both sides; staff
    dismiss the one that bears no responsibility before anyone is notified."""
    cause = (reason or "").strip() or "未填写"
    conduct = f"聘任于{terminated_on:%Y-%m-%d}提前终止，终止原因：{cause}"
    return _propose(CreditRule.EARLY_TERMINATION, _BOTH, terminated_on, conduct)


def evaluation_result(*, grade: str, finalised_on: date) -> list[Proposal]:
    """The term-end evaluation: 不合格 a negative record of the expert (较重), 优秀 a positive one."""
    from terms.enums import Grade

    if grade == Grade.FAIL:
        rule, result, severity = CreditRule.EVALUATION_FAIL, "不合格", Severity.SERIOUS
    elif grade == Grade.EXCELLENT:
        rule, result, severity = CreditRule.EVALUATION_EXCELLENT, "优秀", ""
    else:
        return []
    conduct = f"期满考核评价结果为“{result}”（{finalised_on:%Y-%m-%d}出具）"
    return _propose(rule, SubjectKind.EXPERT, finalised_on, conduct, severity)


def review_deadline_missed(*, deadline: date, scored: bool, withdrawn: bool, round_name: str,
                           as_of: date) -> list[Proposal]:
    """A reviewer's sheet still unsubmitted after the round's scoring deadline (and not withdrawn for a
    declared conflict or a swap): a negative record of the reviewer."""
    if scored or withdrawn or as_of <= deadline:
        return []
    conduct = f"评审批次“{round_name}”评分截止（{deadline:%Y-%m-%d}）时未提交评分表"
    return _propose(CreditRule.REVIEW_DEADLINE_MISSED, SubjectKind.REVIEWER, deadline, conduct)


def award_winner(*, year: int, prize: str, decided_on: date) -> list[Proposal]:
    """A prize of the annual award: a positive record of the expert and of the enterprise."""
    return _propose(CreditRule.AWARD_WINNER, _BOTH, decided_on, f"{year}年度“科技副总”年度评选{prize}", "")
