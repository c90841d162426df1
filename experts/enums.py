"""Kinds, choices and the nomination workflow of the talent pool (SPEC §3, §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstitutionKind(models.TextChoices):
    """The kinds of policy 二(一); the values are experts.policy.INSTITUTION_KINDS."""

    U985 = "985", pgettext_lazy("institution kind", "985高校")
    U211 = "211", pgettext_lazy("institution kind", "211高校")
    DOUBLE_FIRST_CLASS = "double_first_class", pgettext_lazy("institution kind", "“双一流”建设高校")
    HOSPITAL_3A = "hospital_3a", pgettext_lazy("institution kind", "知名三甲医院")
    RESEARCH_NATIONAL = "research_national", pgettext_lazy("institution kind", "国家级科研机构")
    RESEARCH_BEIJING = "research_beijing", pgettext_lazy("institution kind", "北京市级科研机构")
    NEW_RD = "new_rd", pgettext_lazy("institution kind", "新型研发机构")
    CHANGPING_LOCAL = "changping_local", pgettext_lazy("institution kind", "驻昌单位")


#: InstitutionKind value → the boolean field of Institution that carries it.
KIND_FIELDS = {
    InstitutionKind.U985: "is_985",
    InstitutionKind.U211: "is_211",
    InstitutionKind.DOUBLE_FIRST_CLASS: "is_double_first_class",
    InstitutionKind.HOSPITAL_3A: "is_hospital_3a",
    InstitutionKind.RESEARCH_NATIONAL: "is_research_national",
    InstitutionKind.RESEARCH_BEIJING: "is_research_beijing",
    InstitutionKind.NEW_RD: "is_new_rd",
    InstitutionKind.CHANGPING_LOCAL: "in_changping",
}


class InstitutionCategory(models.TextChoices):
    UNIVERSITY = "university", pgettext_lazy("institution category", "高校")
    RESEARCH = "research", pgettext_lazy("institution category", "科研院所")
    HOSPITAL = "hospital", pgettext_lazy("institution category", "医疗卫生机构")
    OTHER = "other", pgettext_lazy("institution category", "其他")


class Gender(models.TextChoices):
    MALE = "male", pgettext_lazy("gender", "男")
    FEMALE = "female", pgettext_lazy("gender", "女")


class Degree(models.TextChoices):
    """Values are experts.policy.DEGREES."""

    DOCTORATE = "doctorate", pgettext_lazy("degree", "博士")
    MASTER = "master", pgettext_lazy("degree", "硕士")
    BACHELOR = "bachelor", pgettext_lazy("degree", "学士")
    OTHER = "other", pgettext_lazy("degree", "其他")


class TitleLevel(models.TextChoices):
    """Values are experts.policy.TITLE_LEVELS."""

    SENIOR = "senior", pgettext_lazy("title level", "正高级")
    ASSOCIATE_SENIOR = "associate_senior", pgettext_lazy("title level", "副高级")
    INTERMEDIATE = "intermediate", pgettext_lazy("title level", "中级")
    JUNIOR = "junior", pgettext_lazy("title level", "初级")
    NONE = "none", pgettext_lazy("title level", "无")


class AchievementKind(models.TextChoices):
    PATENT = "patent", pgettext_lazy("achievement", "专利")
    PAPER = "paper", pgettext_lazy("achievement", "论文")
    AWARD = "award", pgettext_lazy("achievement", "奖项")
    TRANSFER = "transfer", pgettext_lazy("achievement", "成果转化")
    OTHER = "other", pgettext_lazy("achievement", "其他")


class NominationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("nomination state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("nomination state", "已提交")
    RETURNED = "returned", pgettext_lazy("nomination state", "已退回")
    ADMITTED = "admitted", pgettext_lazy("nomination state", "已入库")
    REJECTED = "rejected", pgettext_lazy("nomination state", "未入库")


#: SPEC §4: draft → submitted → returned → submitted … → admitted | rejected.
TRANSITIONS = {
    NominationState.DRAFT: {NominationState.SUBMITTED},
    NominationState.SUBMITTED: {
        NominationState.RETURNED,
        NominationState.ADMITTED,
        NominationState.REJECTED,
    },
    NominationState.RETURNED: {NominationState.SUBMITTED},
    NominationState.ADMITTED: set(),
    NominationState.REJECTED: set(),
}
#: States in which the institution may edit the nomination.
EDITABLE_STATES = frozenset({NominationState.DRAFT, NominationState.RETURNED})
#: States of a nomination that is still in progress (at most one per expert).
OPEN_STATES = frozenset({NominationState.DRAFT, NominationState.SUBMITTED, NominationState.RETURNED})


class ExceptionDecision(models.TextChoices):
    """Staff's decision on the exception path (放宽) of SPEC §3."""

    NONE = "", pgettext_lazy("exception decision", "不适用")
    PENDING = "pending", pgettext_lazy("exception decision", "待审批")
    APPROVED = "approved", pgettext_lazy("exception decision", "已批准放宽")
    REFUSED = "refused", pgettext_lazy("exception decision", "不予放宽")


class EligibilityResult(models.TextChoices):
    """The stored outcome of check_eligibility, for filtering the staff queue."""

    NOT_CHECKED = "", pgettext_lazy("eligibility", "未审查")
    ELIGIBLE = "eligible", pgettext_lazy("eligibility", "符合条件")
    EXCEPTION = "exception", pgettext_lazy("eligibility", "需放宽审批")
    INELIGIBLE = "ineligible", pgettext_lazy("eligibility", "不符合条件")


class ChangeRequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("change request", "待审核")
    APPROVED = "approved", pgettext_lazy("change request", "已通过")
    REJECTED = "rejected", pgettext_lazy("change request", "未通过")


#: Expert fields whose change by the expert needs staff approval (issue 3, item 6).
CORE_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "institution",
    "department",
    "discipline",
    "degree",
    "title",
    "title_level",
    "work_start",
    "core_ip",
)
#: Fields the expert may change freely.
FREE_FIELDS = ("phone", "email", "research_fields", "keywords", "core_ip_description")

UNSET = _("未填写")
