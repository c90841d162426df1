"""Everything around an appointment's lifecycle (SPEC §4): extensions, co-management log and contacts,
support services, the term-end report and completion (结题), the term-end evaluation.

The appointment itself is `projects.Appointment`; its state and end date change only through
`terms.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedPhoneField
from core.models import Authored, Created, StateTransition, Timestamped
from core.uploads import private_storage, upload_path, validate_document

from .enums import (
    Beneficiary,
    ContactForm,
    ContactSide,
    EvaluationState,
    ExtensionState,
    Grade,
    MedicalService,
    ReportState,
    SupportKind,
    SupportState,
)
from .policy import MAX_EXTENSION_MONTHS

USER = settings.AUTH_USER_MODEL


class ExtensionRequest(Timestamped):
    """An enterprise's request to extend the term for a major breakthrough, in whole months."""

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.PROTECT, related_name="extension_requests",
        verbose_name=_("聘任"),
    )
    months = models.PositiveSmallIntegerField(_("延长月数"))
    reason = models.TextField(_("重大项目突破情况及延期理由"))
    evidence = models.FileField(
        _("证明材料"), upload_to=upload_path("terms/extension"), storage=private_storage,
        validators=[validate_document], max_length=200,
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ExtensionState.choices, default=ExtensionState.SUBMITTED
    )
    requested_on = models.DateField(_("申请日期"))
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审核人")
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    previous_end_date = models.DateField(_("原届满日期"))
    new_end_date = models.DateField(_("延期后届满日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("服务期延期申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ExtensionState.values), name="extension_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=MAX_EXTENSION_MONTHS), name="extension_months_range"
            ),
            models.UniqueConstraint(
                fields=["appointment"], condition=Q(state=ExtensionState.SUBMITTED),
                name="extension_one_pending_per_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} +{self.months}"


ExtensionRequestTransition = StateTransition.table_for(ExtensionRequest, _("延期申请"), _("延期申请流转记录"))


class Termination(Created):
    """Early termination of an appointment: date and reason, entered by staff."""

    appointment = models.OneToOneField(
        "projects.Appointment", on_delete=models.PROTECT, related_name="termination", verbose_name=_("聘任")
    )
    terminated_on = models.DateField(_("终止日期"))
    reason = models.TextField(_("终止原因"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = Created.created_at_field(_("登记时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("提前终止")

    def __str__(self) -> str:
        return f"{self.appointment} · {self.terminated_on}"


class CoManagementRecord(Created):
    """A visit or conversation with the VP (policy 六(二): 了解其思想、工作、生活状况)."""

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.PROTECT, related_name="comanagement_records",
        verbose_name=_("聘任"),
    )
    held_on = models.DateField(_("日期"))
    form = models.CharField(_("形式"), max_length=10, choices=ContactForm.choices)
    participants = models.CharField(_("参加人员"), max_length=300)
    topic_thoughts = models.BooleanField(_("思想状况"), default=False)
    topic_work = models.BooleanField(_("工作情况"), default=False)
    topic_life = models.BooleanField(_("生活情况"), default=False)
    summary = models.TextField(_("沟通情况"))
    follow_up = models.TextField(_("后续事项"), blank=True)
    follow_up_due = models.DateField(_("后续事项完成期限"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("后续事项已办结"), default=False)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = Created.created_at_field(_("记录时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("共同管理记录")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(form__in=ContactForm.values), name="comanagement_form_valid"),
            models.CheckConstraint(
                condition=Q(topic_thoughts=True) | Q(topic_work=True) | Q(topic_life=True),
                name="comanagement_has_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_form_display()}"

    @property
    def topic_labels(self) -> list[str]:
        return [
            str(label)
            for flag, label in (
                (self.topic_thoughts, _("思想")),
                (self.topic_work, _("工作")),
                (self.topic_life, _("生活")),
            )
            if flag
        ]


class AppointmentContact(models.Model):
    """The enterprise's and the nominating institution's contact persons for one appointment."""

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("聘任")
    )
    side = models.CharField(_("所属方"), max_length=12, choices=ContactSide.choices)
    name = models.CharField(_("姓名"), max_length=40)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    phone = EncryptedPhoneField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("联系人")
        ordering = ["side", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=ContactSide.values), name="contact_side_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} · {self.name}"


class SupportRequest(Timestamped):
    """A support service during the term (policy 五(一)1): medical green channel or talent housing."""

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.PROTECT, related_name="support_requests",
        verbose_name=_("聘任"),
    )
    kind = models.CharField(_("服务类型"), max_length=10, choices=SupportKind.choices)
    medical_service = models.CharField(
        _("医疗保障项目"), max_length=20, choices=MedicalService.choices, blank=True
    )
    beneficiary = models.CharField(_("服务对象"), max_length=10, choices=Beneficiary.choices, blank=True)
    beneficiary_name = models.CharField(_("就医人姓名"), max_length=40, blank=True)
    description = models.TextField(_("需求说明"))
    no_own_housing_declared = models.BooleanField(_("本人声明在昌平区无自有住房"), default=False)
    evidence = models.FileField(
        _("证明材料"), upload_to=upload_path("terms/support"), storage=private_storage,
        validators=[validate_document], blank=True, max_length=200,
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=SupportState.choices, default=SupportState.SUBMITTED
    )
    arrangement = models.TextField(_("安排情况"), blank=True)
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    created_at = Timestamped.created_at_field(_("提交时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("服务保障申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SupportState.values), name="support_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=SupportKind.values), name="support_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=SupportKind.HOUSING)
                | Q(medical_service__in=MedicalService.values, beneficiary__in=Beneficiary.values),
                name="support_medical_complete",
            ),
            models.CheckConstraint(
                condition=Q(kind=SupportKind.MEDICAL) | Q(no_own_housing_declared=True),
                name="support_housing_declared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.appointment}"

    @property
    def service_label(self) -> str:
        if self.kind == SupportKind.MEDICAL:
            return f"{self.get_medical_service_display()}（{self.get_beneficiary_display()}）"
        return str(self.get_kind_display())


SupportRequestTransition = StateTransition.table_for(SupportRequest, _("服务保障申请"), _("服务保障流转记录"))


class TermReport(Timestamped):
    """The term-end summary report: drafted by the enterprise, confirmed by the expert, accepted by staff."""

    appointment = models.OneToOneField(
        "projects.Appointment", on_delete=models.PROTECT, related_name="term_report", verbose_name=_("聘任")
    )
    summary = models.TextField(_("工作总结"))
    achievements = models.TextField(_("主要成果"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    attachment = models.FileField(
        _("附件"), upload_to=upload_path("terms/report"), storage=private_storage,
        validators=[validate_document], blank=True, max_length=200,
    )
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人"))
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("专家确认人")
    )
    confirmed_at = models.DateTimeField(_("专家确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("服务期满总结报告")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="termreport_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} · {self.get_state_display()}"


TermReportTransition = StateTransition.table_for(TermReport, _("总结报告"), _("总结报告流转记录"))


class IndicatorResult(models.Model):
    """One of the project's indicators and what the term achieved against it."""

    report = models.ForeignKey(
        TermReport, on_delete=models.CASCADE, related_name="results", verbose_name=_("报告")
    )
    indicator = models.CharField(_("考核指标"), max_length=200)
    target = models.CharField(_("预期目标"), max_length=200, blank=True)
    achieved = models.CharField(_("完成情况"), max_length=300)
    met = models.BooleanField(_("已达成"), default=False)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("指标完成情况")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.indicator


class Completion(Created):
    """The project's completion (结题), accepted by staff from the jointly submitted term-end report.

    `terms.selectors.completed_projects(year)` lists the projects completed in a year (annual awards)."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="completion", verbose_name=_("合作项目")
    )
    appointment = models.OneToOneField(
        "projects.Appointment", on_delete=models.PROTECT, related_name="completion", verbose_name=_("聘任")
    )
    report = models.OneToOneField(
        TermReport, on_delete=models.PROTECT, related_name="completion", verbose_name=_("总结报告")
    )
    accepted_on = models.DateField(_("结题日期"), db_index=True)
    accepted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("验收人")
    )
    note = models.TextField(_("验收意见"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("项目结题")
        ordering = ["-accepted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.accepted_on}"


class Evaluation(Authored, Timestamped):
    """The term-end evaluation (policy 四(四)): a panel grades the term; staff issue the opinion."""

    appointment = models.OneToOneField(
        "projects.Appointment", on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("聘任")
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=EvaluationState.choices, default=EvaluationState.FORMING
    )
    grade = models.CharField(_("评价等级"), max_length=12, choices=Grade.choices, blank=True)
    opinion = models.TextField(_("评价意见"), blank=True)
    #: why the final grade departs from the panel's grade (required then)
    override_reason = models.TextField(_("调整理由"), blank=True)
    finalised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("出具人")
    )
    finalised_on = models.DateField(_("出具日期"), null=True, blank=True)
    created_by = Authored.created_by_field(_("组织人"), null=False, blank=False)

    class Meta:
        verbose_name = verbose_name_plural = _("任职评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=EvaluationState.values), name="evaluation_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=Grade.values), name="evaluation_grade_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=EvaluationState.FINALISED) | ~Q(grade=""),
                name="evaluation_final_has_grade",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} · {self.get_state_display()}"


EvaluationTransition = StateTransition.table_for(Evaluation, _("任职评价"), _("任职评价流转记录"))


class PanelMember(models.Model):
    """A reviewer on an evaluation panel, with their grade and opinion once submitted."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="members", verbose_name=_("任职评价")
    )
    reviewer = models.ForeignKey(
        "projects.Reviewer", on_delete=models.PROTECT, related_name="evaluation_panels",
        verbose_name=_("评价专家"),
    )
    grade = models.CharField(_("评价等级"), max_length=12, choices=Grade.choices, blank=True)
    opinion = models.TextField(_("评价意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    #: a member who declared a conflict of interest is withdrawn from the panel (the row stays as the
    #: record) and, when someone is available, replaced by `replaced_by`
    withdrawn_at = models.DateTimeField(_("回避时间"), null=True, blank=True)
    conflict_reason = models.TextField(_("回避原因"), blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces",
        verbose_name=_("替换专家"),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("评价组成员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "reviewer"], name="panelmember_unique_reviewer"),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=Grade.values), name="panelmember_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(grade=""), name="panelmember_submitted_has_grade"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | (Q(submitted_at__isnull=True) & ~Q(conflict_reason="")),
                name="panelmember_withdrawn_not_graded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.reviewer}"

    @property
    def serving(self) -> bool:
        return self.withdrawn_at is None
