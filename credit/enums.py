"""States and kinds of the credit record (信用记录, issue 21 item 5), in the manner of Shanghai's and Hainan's
science credit rules: a fact about a subject, proposed by the nightly job, notified to the subject, confirmed
by commission staff after the objection window, and later expired, repaired (信用修复) or revoked."""

from django.db import models
from django.utils.translation import pgettext_lazy


class SubjectKind(models.TextChoices):
    EXPERT = "expert", pgettext_lazy("credit subject", "专家")
    ENTERPRISE = "enterprise", pgettext_lazy("credit subject", "企业")
    REVIEWER = "reviewer", pgettext_lazy("credit subject", "评审专家")
    INSTITUTION = "institution", pgettext_lazy("credit subject", "推荐单位")


class Polarity(models.TextChoices):
    POSITIVE = "positive", pgettext_lazy("credit polarity", "守信（良好）")
    NEGATIVE = "negative", pgettext_lazy("credit polarity", "失信（不良）")


class Severity(models.TextChoices):
    """Of a negative record only (a positive record has none)."""

    MINOR = "minor", pgettext_lazy("credit severity", "一般")
    SERIOUS = "serious", pgettext_lazy("credit severity", "较重")
    GRAVE = "grave", pgettext_lazy("credit severity", "严重")


class CreditRule(models.TextChoices):
    """The rule a record rests on (its basis); each is a pure function in credit/policy.py."""

    MATCHING_UNCONFIRMED = "matching_unconfirmed", pgettext_lazy(
        "credit rule", "企业配套生活补助长期未确认支付"
    )
    REPORT_OVERDUE = "report_overdue", pgettext_lazy("credit rule", "服务期满总结报告逾期未提交")
    EARLY_TERMINATION = "early_termination", pgettext_lazy("credit rule", "聘任提前终止")
    EVALUATION_FAIL = "evaluation_fail", pgettext_lazy("credit rule", "任职评价不合格")
    EVALUATION_EXCELLENT = "evaluation_excellent", pgettext_lazy("credit rule", "任职评价优秀")
    REVIEW_DEADLINE_MISSED = "review_deadline_missed", pgettext_lazy("credit rule", "评审专家逾期未完成评分")
    AWARD_WINNER = "award_winner", pgettext_lazy("credit rule", "获得年度评选奖励")


class CreditState(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("credit state", "待核实")
    NOTIFIED = "notified", pgettext_lazy("credit state", "已告知（异议期）")
    CONFIRMED = "confirmed", pgettext_lazy("credit state", "已确认")
    DISMISSED = "dismissed", pgettext_lazy("credit state", "不予记录")
    EXPIRED = "expired", pgettext_lazy("credit state", "已到期")
    REPAIRED = "repaired", pgettext_lazy("credit state", "已信用修复")
    REVOKED = "revoked", pgettext_lazy("credit state", "已撤销")


S = CreditState
TRANSITIONS = {
    # staff check the proposal: notify the subject (the objection window opens) or drop it
    S.PROPOSED: {S.NOTIFIED, S.DISMISSED},
    # after the window (or an objection handled): confirm; an upheld objection dismisses it
    S.NOTIFIED: {S.CONFIRMED, S.DISMISSED},
    # a confirmed record ends by its date, by repair (negative only) or by revocation (with reasons)
    S.CONFIRMED: {S.EXPIRED, S.REPAIRED, S.REVOKED},
    S.DISMISSED: set(),
    S.EXPIRED: set(),
    S.REPAIRED: set(),
    S.REVOKED: set(),
}
#: states the subject may see (a proposal not yet checked by staff is not the subject's business yet)
SUBJECT_VISIBLE_STATES = frozenset(set(S) - {S.PROPOSED})
#: transitions that need a reason
REASON_REQUIRED = frozenset({S.DISMISSED, S.REPAIRED, S.REVOKED})
del S


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("credit objection state", "待处理")
    UPHELD = "upheld", pgettext_lazy("credit objection state", "异议成立")
    REJECTED = "rejected", pgettext_lazy("credit objection state", "异议不成立")


class DecisionPoint(models.TextChoices):
    """The staff decisions that show the 信用提示 panel; going ahead despite an active negative record
    needs a reason, stored as a CreditOverride."""

    POOL_ADMISSION = "pool_admission", pgettext_lazy("credit decision", "专家入库")
    ENTERPRISE_VERIFICATION = "enterprise_verification", pgettext_lazy("credit decision", "企业认证")
    PROJECT_FILING = "project_filing", pgettext_lazy("credit decision", "项目备案")
    REVIEWER_ASSIGNMENT = "reviewer_assignment", pgettext_lazy("credit decision", "评审专家分配")
    AWARD_ELIGIBILITY = "award_eligibility", pgettext_lazy("credit decision", "年度评选获奖资格")
