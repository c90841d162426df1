"""States and kinds of service outcomes (issue 21): who reported, at what level, and the workflow table."""

from django.db import models
from django.utils.translation import pgettext_lazy


class OutcomeState(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", pgettext_lazy("outcome state", "待对方确认")
    AWAITING_VERIFICATION = "awaiting_verification", pgettext_lazy("outcome state", "待区科委核实")
    RETURNED = "returned", pgettext_lazy("outcome state", "退回补充材料")
    VERIFIED = "verified", pgettext_lazy("outcome state", "已核实")
    REJECTED = "rejected", pgettext_lazy("outcome state", "未予认定")
    WITHDRAWN = "withdrawn", pgettext_lazy("outcome state", "已撤回")


S = OutcomeState
OUTCOME_TRANSITIONS = {
    # the other side confirms, or disputes it (back to the reporter with the reason); the reporter withdraws
    S.AWAITING_CONFIRMATION: {S.AWAITING_VERIFICATION, S.RETURNED, S.WITHDRAWN},
    # commission staff verify, ask for more evidence, or reject
    S.AWAITING_VERIFICATION: {S.VERIFIED, S.RETURNED, S.REJECTED},
    # the reporter adds what was asked for and resubmits (the other side confirms again), or withdraws
    S.RETURNED: {S.AWAITING_CONFIRMATION, S.WITHDRAWN},
    S.VERIFIED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}
#: still open: the term cannot be completed (结题) while one of these is waiting for somebody
PENDING_STATES = frozenset({S.AWAITING_CONFIRMATION, S.AWAITING_VERIFICATION})
#: an identifier is taken by every outcome in these states (one patent counts once, issue 21 item 2)
CLAIMING_STATES = frozenset({S.AWAITING_CONFIRMATION, S.AWAITING_VERIFICATION, S.RETURNED, S.VERIFIED})
del S


class Side(models.TextChoices):
    """Which party of the appointment reported the outcome."""

    ENTERPRISE = "enterprise", pgettext_lazy("outcome side", "企业")
    EXPERT = "expert", pgettext_lazy("outcome side", "专家")


class Level(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("outcome level", "国家级")
    PROVINCIAL = "provincial", pgettext_lazy("outcome level", "省部级（北京市级）")
    DISTRICT = "district", pgettext_lazy("outcome level", "区级")
    INDUSTRY = "industry", pgettext_lazy("outcome level", "行业/团体级")
    ENTERPRISE = "enterprise", pgettext_lazy("outcome level", "企业级")


class OutcomeAction(models.TextChoices):
    """The buttons of the outcome page (the URL's last segment)."""

    CONFIRM = "confirm", pgettext_lazy("outcome action", "确认")
    DISPUTE = "dispute", pgettext_lazy("outcome action", "有异议，退回")
    VERIFY = "verify", pgettext_lazy("outcome action", "核实认定")
    RETURN = "return", pgettext_lazy("outcome action", "退回补充材料")
    REJECT = "reject", pgettext_lazy("outcome action", "不予认定")
    RESUBMIT = "resubmit", pgettext_lazy("outcome action", "重新提交")
    WITHDRAW = "withdraw", pgettext_lazy("outcome action", "撤回")
