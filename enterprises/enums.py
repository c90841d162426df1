"""States, kinds and the allowed transitions of enterprises, demands and intents (SPEC §4)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class EnterpriseState(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("enterprise state", "待认证")
    VERIFIED = "verified", pgettext_lazy("enterprise state", "已认证")
    REJECTED = "rejected", pgettext_lazy("enterprise state", "未通过认证")


# A rejected enterprise may correct its data and resubmit (rejected → registered).
ENTERPRISE_TRANSITIONS = {
    EnterpriseState.REGISTERED: {EnterpriseState.VERIFIED, EnterpriseState.REJECTED},
    EnterpriseState.REJECTED: {EnterpriseState.REGISTERED},
    EnterpriseState.VERIFIED: set(),
}


class VerificationGround(models.TextChoices):
    """Why a verified enterprise counts as a Changping enterprise (SPEC §4)."""

    DIVISION_CODE = (
        "division_code",
        pgettext_lazy("verification ground", "信用代码行政区划码为昌平区（110114）"),
    )
    CHANGPING_EVIDENCE = (
        "changping_evidence",
        pgettext_lazy("verification ground", "在昌平区经营的证明材料（经工作人员确认）"),
    )


class EnterpriseSize(models.TextChoices):
    """企业规模 (the statistical bureau's size classes)."""

    MICRO = "micro", pgettext_lazy("enterprise size", "微型")
    SMALL = "small", pgettext_lazy("enterprise size", "小型")
    MEDIUM = "medium", pgettext_lazy("enterprise size", "中型")
    LARGE = "large", pgettext_lazy("enterprise size", "大型")


class Qualification(models.TextChoices):
    HIGH_TECH = "high_tech", pgettext_lazy("qualification", "高新技术企业")
    TECH_SME = "tech_sme", pgettext_lazy("qualification", "科技型中小企业")
    SPECIALISED = "specialised", pgettext_lazy("qualification", "专精特新中小企业")
    LITTLE_GIANT = "little_giant", pgettext_lazy("qualification", "专精特新“小巨人”企业")
    ZGC_HIGH_TECH = "zgc_high_tech", pgettext_lazy("qualification", "中关村高新技术企业")
    GAZELLE = "gazelle", pgettext_lazy("qualification", "瞪羚企业")
    UNICORN = "unicorn", pgettext_lazy("qualification", "独角兽企业")
    LISTED = "listed", pgettext_lazy("qualification", "上市企业")


class DemandState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("demand state", "草稿")
    PUBLISHED = "published", pgettext_lazy("demand state", "已发布")
    CLOSED = "closed", pgettext_lazy("demand state", "已关闭")


DEMAND_TRANSITIONS = {
    DemandState.DRAFT: {DemandState.PUBLISHED, DemandState.CLOSED},
    DemandState.PUBLISHED: {DemandState.CLOSED},
    DemandState.CLOSED: set(),
}


class Position(models.TextChoices):
    """The post offered (policy 三(一))."""

    VP = "vp", pgettext_lazy("position", "科技副总")
    RD_DEPUTY = "rd_deputy", pgettext_lazy("position", "技术（研发）中心副主任")


class IntentState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("intent state", "待回复")
    ACCEPTED = "accepted", pgettext_lazy("intent state", "已接受")
    DECLINED = "declined", pgettext_lazy("intent state", "已婉拒")
    WITHDRAWN = "withdrawn", pgettext_lazy("intent state", "已撤回")
    EXPIRED = "expired", pgettext_lazy("intent state", "已过期")


INTENT_TRANSITIONS = {
    IntentState.PENDING: {
        IntentState.ACCEPTED,
        IntentState.DECLINED,
        IntentState.WITHDRAWN,
        IntentState.EXPIRED,
    },
    IntentState.ACCEPTED: set(),
    IntentState.DECLINED: set(),
    IntentState.WITHDRAWN: set(),
    IntentState.EXPIRED: set(),
}


class IntentInitiator(models.TextChoices):
    """Who made the first move: the enterprise invites, or the expert applies."""

    ENTERPRISE = "enterprise", pgettext_lazy("intent initiator", "企业邀请")
    EXPERT = "expert", pgettext_lazy("intent initiator", "专家申请")


class IntentAction(models.TextChoices):
    """What a user may do to a pending intent; which side may do it is in `rules.py`."""

    ACCEPT = "accept", pgettext_lazy("intent action", "接受")
    DECLINE = "decline", pgettext_lazy("intent action", "婉拒")
    WITHDRAW = "withdraw", pgettext_lazy("intent action", "撤回")


ACTION_STATE = {
    IntentAction.ACCEPT: IntentState.ACCEPTED,
    IntentAction.DECLINE: IntentState.DECLINED,
    IntentAction.WITHDRAW: IntentState.WITHDRAWN,
}


class ParticipantKind(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("participant", "企业")
    EXPERT = "expert", pgettext_lazy("participant", "专家")
