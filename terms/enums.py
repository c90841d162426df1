"""States and kinds of the service-term app (SPEC §4: Appointment, term-end evaluation, support services,
co-management). Each workflow's allowed transitions are in its TRANSITIONS table."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExtensionState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("extension state", "待审核")
    APPROVED = "approved", pgettext_lazy("extension state", "已批准")
    REFUSED = "refused", pgettext_lazy("extension state", "未批准")
    WITHDRAWN = "withdrawn", pgettext_lazy("extension state", "已撤回")


EXTENSION_TRANSITIONS = {
    ExtensionState.SUBMITTED: {ExtensionState.APPROVED, ExtensionState.REFUSED, ExtensionState.WITHDRAWN},
}


class SupportKind(models.TextChoices):
    MEDICAL = "medical", pgettext_lazy("support kind", "医疗保障")
    HOUSING = "housing", pgettext_lazy("support kind", "人才公租房")


class MedicalService(models.TextChoices):
    """Policy 五(一)1(1)."""

    GREEN_CHANNEL = "green_channel", _("就医绿色通道")
    CONSULTATION = "consultation", _("专家会诊")
    HOSPITAL = "hospital", _("三甲医院协调")
    REFERRAL = "referral", _("转诊")


class Beneficiary(models.TextChoices):
    SELF = "self", pgettext_lazy("beneficiary", "本人")
    SPOUSE = "spouse", pgettext_lazy("beneficiary", "配偶")
    CHILD = "child", pgettext_lazy("beneficiary", "子女")


class SupportState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("support state", "已提交")
    ARRANGED = "arranged", pgettext_lazy("support state", "已安排")
    CLOSED = "closed", pgettext_lazy("support state", "已办结")
    WITHDRAWN = "withdrawn", pgettext_lazy("support state", "已撤回")


SUPPORT_TRANSITIONS = {
    # staff arrange the service, or close a request that cannot be met (with the reason); the requester
    # (or the expert) may withdraw it while nobody has acted on it yet
    SupportState.SUBMITTED: {SupportState.ARRANGED, SupportState.CLOSED, SupportState.WITHDRAWN},
    SupportState.ARRANGED: {SupportState.CLOSED},
}


class ContactForm(models.TextChoices):
    """How staff met the VP (co-management log)."""

    VISIT = "visit", pgettext_lazy("contact form", "走访")
    TALK = "talk", pgettext_lazy("contact form", "座谈")
    PHONE = "phone", pgettext_lazy("contact form", "电话沟通")
    ONLINE = "online", pgettext_lazy("contact form", "线上会议")


class ContactSide(models.TextChoices):
    ENTERPRISE = "enterprise", pgettext_lazy("contact side", "合作企业")
    INSTITUTION = "institution", pgettext_lazy("contact side", "推荐单位")


#: What staff may do to a support request (the requester's withdrawal is a separate action).
SUPPORT_STAFF_STATES = (SupportState.ARRANGED, SupportState.CLOSED)


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "企业起草中")
    AWAITING_EXPERT = "awaiting_expert", pgettext_lazy("report state", "待专家确认")
    SUBMITTED = "submitted", pgettext_lazy("report state", "已联合提交")
    ACCEPTED = "accepted", pgettext_lazy("report state", "已验收结题")


REPORT_TRANSITIONS = {
    ReportState.DRAFT: {ReportState.AWAITING_EXPERT},
    # the expert confirms (joint submission) or sends the draft back to the enterprise
    ReportState.AWAITING_EXPERT: {ReportState.SUBMITTED, ReportState.DRAFT},
    # staff accept the completion (结题) or return the report for revision
    ReportState.SUBMITTED: {ReportState.ACCEPTED, ReportState.DRAFT},
}


class EvaluationState(models.TextChoices):
    FORMING = "forming", pgettext_lazy("evaluation state", "组建评价组")
    GRADING = "grading", pgettext_lazy("evaluation state", "评价中")
    FINALISED = "finalised", pgettext_lazy("evaluation state", "已出具意见")


EVALUATION_TRANSITIONS = {
    EvaluationState.FORMING: {EvaluationState.GRADING},
    EvaluationState.GRADING: {EvaluationState.FINALISED},
}


class Grade(models.TextChoices):
    """The term-end evaluation scale, best first."""

    EXCELLENT = "excellent", pgettext_lazy("grade", "优秀")
    GOOD = "good", pgettext_lazy("grade", "良好")
    PASS = "pass", pgettext_lazy("grade", "合格")
    FAIL = "fail", pgettext_lazy("grade", "不合格")


class ReminderKind(models.TextChoices):
    TERM_ENDING_90 = "ending90", _("服务期将于90天内届满")
    TERM_ENDING_30 = "ending30", _("服务期将于30天内届满")
    TERM_ENDING_7 = "ending7", _("服务期将于7天内届满")
    REPORT_DUE = "report_due", _("服务期满总结报告待提交")
    EVALUATION_DUE = "evaluation_due", _("任职评价待组织")
    MATCHING_UNCONFIRMED = "matching_unconfirmed", _("企业配套生活补助未确认")


class Party(models.TextChoices):
    """Who a reminder goes to."""

    STAFF = "staff", pgettext_lazy("party", "区科委")
    ENTERPRISE = "enterprise", pgettext_lazy("party", "企业")
    EXPERT = "expert", pgettext_lazy("party", "专家")
