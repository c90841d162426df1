"""States and kinds of cooperation projects, review rounds and appointments (SPEC §4)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("project state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("project state", "已提交")
    RETURNED = "returned", pgettext_lazy("project state", "退回修改")
    ACCEPTED = "accepted", pgettext_lazy("project state", "已受理")
    UNDER_REVIEW = "under_review", pgettext_lazy("project state", "评审中")
    REVIEWED = "reviewed", pgettext_lazy("project state", "评审完成")
    APPROVED = "approved", pgettext_lazy("project state", "立项")
    NOT_APPROVED = "not_approved", pgettext_lazy("project state", "不予立项")
    NOTICED = "noticed", pgettext_lazy("project state", "公示中")
    FILED = "filed", pgettext_lazy("project state", "已备案")
    AGREEMENT_SIGNED = "agreement_signed", pgettext_lazy("project state", "已签协议")
    APPOINTED = "appointed", pgettext_lazy("project state", "已聘任")
    COMPLETED = "completed", pgettext_lazy("project state", "已结题")
    TERMINATED = "terminated", pgettext_lazy("project state", "已终止")


S = ProjectState
PROJECT_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.RETURNED: {S.SUBMITTED},
    S.SUBMITTED: {S.RETURNED, S.ACCEPTED},
    S.ACCEPTED: {S.UNDER_REVIEW},
    S.UNDER_REVIEW: {S.REVIEWED},
    S.REVIEWED: {S.APPROVED, S.NOT_APPROVED},
    S.APPROVED: {S.NOTICED, S.FILED},
    # an objection upheld during the notice withdraws the approval
    S.NOTICED: {S.FILED, S.NOT_APPROVED},
    S.FILED: {S.AGREEMENT_SIGNED},
    S.AGREEMENT_SIGNED: {S.APPOINTED},
    S.APPOINTED: {S.COMPLETED, S.TERMINATED},
    S.NOT_APPROVED: set(),
    S.COMPLETED: set(),
    S.TERMINATED: set(),
}

#: The enterprise (and the expert) may change the filing only in these states.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
#: A project in one of these states blocks another filing by the same expert (one project per term).
LIVE_STATES = frozenset(
    {S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.UNDER_REVIEW, S.REVIEWED, S.APPROVED, S.NOTICED, S.FILED,
     S.AGREEMENT_SIGNED, S.APPOINTED}
)
#: What the talent office sees (SPEC §2: approved projects and appointments).
APPROVED_STATES = frozenset({S.APPROVED, S.NOTICED, S.FILED, S.AGREEMENT_SIGNED, S.APPOINTED, S.COMPLETED,
                             S.TERMINATED})
del S


#: Project.social_science choices: the subject field sets the subsidy cap (policy 五(二)1).
FIELD_CHOICES = (
    (False, pgettext_lazy("project field", "自然科学与工程技术类")),
    (True, pgettext_lazy("project field", "社会科学与人文类")),
)


class RoundState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round state", "筹备中")
    OPEN = "open", pgettext_lazy("round state", "评审中")
    CLOSED = "closed", pgettext_lazy("round state", "评审结束")
    DECIDED = "decided", pgettext_lazy("round state", "已决定")


ROUND_TRANSITIONS = {
    RoundState.DRAFT: {RoundState.OPEN},
    RoundState.OPEN: {RoundState.CLOSED},
    RoundState.CLOSED: {RoundState.DECIDED},
    RoundState.DECIDED: set(),
}


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("assignment state", "待评分")
    SUBMITTED = "submitted", pgettext_lazy("assignment state", "已提交")
    CONFLICT = "conflict", pgettext_lazy("assignment state", "已声明回避")
    REMOVED = "removed", pgettext_lazy("assignment state", "已调换")


#: Assignments that count towards an application's N reviewers and a reviewer's load.
ACTIVE_ASSIGNMENT_STATES = frozenset({AssignmentState.ASSIGNED, AssignmentState.SUBMITTED})


class Decision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("decision", "立项")
    REJECT = "reject", pgettext_lazy("decision", "不予立项")


class ObjectionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection state", "待处理")
    UPHELD = "upheld", pgettext_lazy("objection state", "异议成立")
    DISMISSED = "dismissed", pgettext_lazy("objection state", "异议不成立")


class AppointmentState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("appointment state", "聘任中")
    ENDED = "ended", pgettext_lazy("appointment state", "已期满")
    TERMINATED = "terminated", pgettext_lazy("appointment state", "已提前终止")


APPOINTMENT_TRANSITIONS = {
    AppointmentState.ACTIVE: {AppointmentState.ENDED, AppointmentState.TERMINATED},
    AppointmentState.ENDED: set(),
    AppointmentState.TERMINATED: set(),
}


#: Default rubric of a review round (SPEC §4): criterion, maximum points.
DEFAULT_RUBRIC = (
    (_("技术创新性"), Decimal("30")),
    (_("需求契合度"), Decimal("25")),
    (_("专家能力与团队"), Decimal("20")),
    (_("实施方案可行性"), Decimal("15")),
    (_("预期效益"), Decimal("10")),
)

#: What each default criterion judges and what a high or a low score means (shown on the review sheet);
#: keyed by the criterion's Chinese name. Staff may edit the texts per round in the admin.
DEFAULT_GUIDANCE = {
    "技术创新性": (
        _("项目技术的新颖性、先进性和知识产权基础。"),
        _("技术国内领先，拥有核心专利或成熟成果，创新点明确。"),
        _("技术已普遍应用，创新点不明确或缺少知识产权支撑。"),
    ),
    "需求契合度": (
        _("专家专长与企业所发布技术需求的吻合程度。"),
        _("直接解决企业需求中的关键技术问题，合作内容具体。"),
        _("与企业需求关联弱，合作内容泛泛。"),
    ),
    "专家能力与团队": (
        _("专家的学术水平、产业化经验和团队支撑。"),
        _("相关领域成果突出，有成功的产学研合作经历，团队稳定。"),
        _("相关领域积累少，缺少团队或产业化经验。"),
    ),
    "实施方案可行性": (
        _("目标、内容、进度和经费安排是否合理可行。"),
        _("目标可考核，里程碑清楚，经费测算合理。"),
        _("目标空泛，进度或经费安排不合理。"),
    ),
    "预期效益": (
        _("对企业和昌平区主导产业的经济、社会效益。"),
        _("效益可量化，能带动企业和主导产业发展。"),
        _("效益难以衡量或不明显。"),
    ),
}

#: Budget lines of a filing (field name, label); with the total they must add up.
BUDGET_LINES = (
    ("budget_equipment", _("设备费")),
    ("budget_materials", _("材料费")),
    ("budget_testing", _("测试化验加工费")),
    ("budget_travel", _("差旅/会议费")),
    ("budget_labour", _("劳务费")),
    ("budget_management_fee", _("单位管理费（校、院两级）")),
    ("budget_other", _("其他")),
)
