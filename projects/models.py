"""Cooperation projects (合作项目), review rounds (评审批次) with reviewers and scores, public notice
objections, record-filing (备案), agreements (合作协议) and appointments (聘任)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.models import Authored, Created, StateTransition, Timestamped, created_at_field, created_by_field
from core.uploads import private_storage, upload_path, validate_document
from enterprises.enums import Position

from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    FIELD_CHOICES,
    LIVE_STATES,
    AppointmentState,
    AssignmentState,
    Decision,
    ObjectionState,
    ProjectState,
    RoundState,
)
from .policy import DEFAULT_PASS_LINE

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


class ReviewRound(Authored, Timestamped):
    """A review round (评审批次): its rubric, reviewers per application, pass line and public notice."""

    name = models.CharField(_("批次名称"), max_length=120, unique=True)
    period_start = models.DateField(_("评审开始日期"))
    period_end = models.DateField(_("评审结束日期"))
    deadline = models.DateTimeField(_("评分截止时间"))
    reviewers_per_application = models.PositiveSmallIntegerField(_("每项申请评审专家人数"), default=3)
    leading_industry_bonus = models.DecimalField(
        _("主导产业加分"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        help_text=_("属于昌平区主导产业的项目在平均分之上加的分数"),
    )
    pass_line = models.DecimalField(
        _("立项分数线"), max_digits=5, decimal_places=2, default=DEFAULT_PASS_LINE
    )
    opinion_required = models.BooleanField(
        _("须填写评审意见"), default=True, help_text=_("勾选后，评审专家提交评分表时必须填写评审意见")
    )
    uses_notice = models.BooleanField(_("立项名单公示"), default=True)
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    notice_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=RoundState.choices, default=RoundState.DRAFT, db_index=True
    )
    # progress of the letters task for the whole round
    letters_total = models.PositiveIntegerField(_("聘书总数"), default=0)
    letters_done = models.PositiveIntegerField(_("已生成聘书"), default=0)
    letters_error = models.TextField(_("聘书生成错误"), blank=True)
    letters_started_at = models.DateTimeField(_("聘书生成开始时间"), null=True, blank=True)
    letters_finished_at = models.DateTimeField(_("聘书生成完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审批次")
        verbose_name_plural = _("评审批次")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RoundState.values), name="round_state_valid"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="round_period_order"),
            models.CheckConstraint(
                condition=Q(reviewers_per_application__gte=1), name="round_reviewers_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(pass_line__gte=0) & Q(leading_industry_bonus__gte=0), name="round_points_positive"
            ),
            models.CheckConstraint(condition=Q(notice_days__gte=1), name="round_notice_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), ZERO)


class ReviewRoundTransition(StateTransition):
    subject = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("评审批次")
    )

    class Meta(StateTransition.Meta):
        verbose_name = _("评审批次流转记录")
        verbose_name_plural = _("评审批次流转记录")


class RubricCriterion(models.Model):
    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("评审批次")
    )
    name = models.CharField(_("评审指标"), max_length=60)
    max_points = models.DecimalField(_("满分"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    description = models.TextField(_("指标说明"), blank=True, help_text=_("评什么"))
    high_means = models.TextField(_("高分标准"), blank=True, help_text=_("什么样的申请得高分"))
    low_means = models.TextField(_("低分标准"), blank=True, help_text=_("什么样的申请得低分"))

    class Meta:
        verbose_name = _("评审指标")
        verbose_name_plural = _("评审指标")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="criterion_unique_name_per_round"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points:g}）"


class Reviewer(Created):
    """A reviewer (评审专家) in the commission's reviewer pool. The links below feed the conflict checks."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviewer_profile",
        verbose_name=_("用户"),
    )
    name = models.CharField(_("姓名"), max_length=60)
    institution = models.ForeignKey(
        "experts.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewers",
        verbose_name=_("工作单位（库内单位）"),
    )
    institution_name = models.CharField(_("工作单位"), max_length=120, blank=True)
    title = models.CharField(_("职称"), max_length=40, blank=True)
    expertise = models.TextField(_("专业领域"), help_text=_("研究方向、关键词，用于匹配评审项目"))
    expert = models.OneToOneField(
        "experts.Expert",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer_profile",
        verbose_name=_("对应的库内专家"),
        help_text=_("评审专家本人也在专家库中时填写，用于回避"),
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        blank=True,
        related_name="linked_reviewers",
        verbose_name=_("有关联的企业"),
        help_text=_("任职、持股、顾问等关联关系，评审时回避"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("每批次最多评审数"), null=True, blank=True, help_text=_("留空表示不限")
    )
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def workplace(self) -> str:
        return self.institution.name if self.institution_id else self.institution_name


class Project(Authored, Timestamped):
    """A cooperation project filed by the enterprise (main applicant) with the expert, from an accepted
    intent. Budget lines must add up to the total; the management fee is at most 5 % (both in the DB)."""

    intent = models.ForeignKey(
        "enterprises.Intent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("对接意向"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="projects", verbose_name=_("企业")
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="projects", verbose_name=_("专家")
    )
    title = models.CharField(_("项目名称"), max_length=150)
    social_science = models.BooleanField(_("项目类别"), choices=FIELD_CHOICES, default=False)
    technical_field = models.CharField(_("技术领域"), max_length=120)
    objectives = models.TextField(_("项目目标"))
    content = models.TextField(_("主要内容"))
    expected_results = models.TextField(_("预期成果与考核指标"))
    schedule = models.TextField(
        _("进度安排与里程碑"), help_text=_("每行一个里程碑，例如：2026年12月 完成中试样品")
    )
    position = models.CharField(_("拟聘岗位"), max_length=20, choices=Position.choices, default=Position.VP)
    requested_start = models.DateField(_("拟聘任开始日期"))
    total_funds = models.DecimalField(_("项目总经费（元）"), **MONEY)
    budget_equipment = models.DecimalField(_("设备费"), default=ZERO, **MONEY)
    budget_materials = models.DecimalField(_("材料费"), default=ZERO, **MONEY)
    budget_testing = models.DecimalField(_("测试化验加工费"), default=ZERO, **MONEY)
    budget_travel = models.DecimalField(_("差旅/会议费"), default=ZERO, **MONEY)
    budget_labour = models.DecimalField(_("劳务费"), default=ZERO, **MONEY)
    budget_management_fee = models.DecimalField(_("单位管理费（校、院两级）"), default=ZERO, **MONEY)
    budget_other = models.DecimalField(_("其他"), default=ZERO, **MONEY)
    approved_funding = models.DecimalField(_("核定项目经费（元）"), null=True, blank=True, **MONEY)
    cooperation_plan = models.FileField(
        _("合作方案"),
        upload_to=upload_path("projects/plan"),
        storage=private_storage,
        validators=[validate_document],
        blank=True,
    )
    qualification_file = models.FileField(
        _("企业资质证明"),
        upload_to=upload_path("projects/qualification"),
        storage=private_storage,
        validators=[validate_document],
        blank=True,
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ProjectState.choices, default=ProjectState.DRAFT, db_index=True
    )
    expert_confirmed_at = models.DateTimeField(_("专家确认时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("评审批次"),
    )
    # results (written when the round closes)
    review_score = models.DecimalField(_("评审得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_spread = models.DecimalField(_("评分极差"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    decision = models.CharField(_("立项决定"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    # The category the commission confirmed or corrected at the decision; the subsidy cap follows it
    # (SPEC §5: the enterprise declares `social_science`, the commission confirms or corrects it).
    confirmed_social_science = models.BooleanField(
        _("核定项目类别"), choices=FIELD_CHOICES, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_by = created_by_field(_("填报人"))

    class Meta:
        verbose_name = _("合作项目")
        verbose_name_plural = _("合作项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ProjectState.values), name="project_state_valid"),
            models.CheckConstraint(condition=Q(total_funds__gt=0), name="project_total_positive"),
            models.CheckConstraint(
                condition=Q(budget_equipment__gte=0)
                & Q(budget_materials__gte=0)
                & Q(budget_testing__gte=0)
                & Q(budget_travel__gte=0)
                & Q(budget_labour__gte=0)
                & Q(budget_management_fee__gte=0)
                & Q(budget_other__gte=0),
                name="project_budget_lines_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    total_funds=F("budget_equipment")
                    + F("budget_materials")
                    + F("budget_testing")
                    + F("budget_travel")
                    + F("budget_labour")
                    + F("budget_management_fee")
                    + F("budget_other")
                ),
                name="project_budget_adds_up",
            ),
            # policy 五(二): the institution's management fee is at most 5 % of the project funds
            models.CheckConstraint(
                condition=Q(budget_management_fee__lte=F("total_funds") * Decimal("0.05")),
                name="project_management_fee_at_most_5pct",
            ),
            models.CheckConstraint(
                condition=Q(approved_funding__isnull=True) | Q(approved_funding__gte=0),
                name="project_approved_funding_non_negative",
            ),
            # An approval always carries the confirmed category (the subsidy's cap depends on it).
            models.CheckConstraint(
                condition=~Q(decision="approve") | Q(confirmed_social_science__isnull=False),
                name="project_approval_confirms_category",
            ),
            # one live project per expert: a second filing in the same term is refused by the database
            models.UniqueConstraint(
                fields=["expert"],
                condition=Q(state__in=sorted(LIVE_STATES)),
                name="project_one_live_per_expert",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subsidy_social_science(self) -> bool:
        """The category the project subsidy uses: the commission's confirmed one (the declared one only
        for a project never decided, which cannot be appointed)."""
        if self.confirmed_social_science is not None:
            return self.confirmed_social_science
        return self.social_science

    @property
    def budget_sum(self) -> Decimal:
        return (
            self.budget_equipment
            + self.budget_materials
            + self.budget_testing
            + self.budget_travel
            + self.budget_labour
            + self.budget_management_fee
            + self.budget_other
        )


class ProjectTransition(StateTransition):
    subject = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("合作项目")
    )

    class Meta(StateTransition.Meta):
        verbose_name = _("项目流转记录")
        verbose_name_plural = _("项目流转记录")


class ReviewAssignment(Timestamped):
    """One reviewer on one application of a round, with the score sheet (scores + comment)."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("评审批次")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("合作项目")
    )
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("评审专家")
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED
    )
    fit = models.DecimalField(_("匹配度"), max_digits=5, decimal_places=4, default=Decimal("0"))
    comment = models.TextField(_("评审意见"), blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    conflict_reason = models.TextField(_("回避/调换原因"), blank=True)
    created_at = created_at_field(_("分配时间"))

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["project_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=AssignmentState.values), name="assignment_state_valid"
            ),
            # nobody reviews one application twice (nor comes back after a conflict)
            models.UniqueConstraint(fields=["project", "reviewer"], name="assignment_unique_reviewer"),
            models.CheckConstraint(
                condition=~Q(state=AssignmentState.SUBMITTED)
                | (Q(submitted_at__isnull=False) & Q(total__isnull=False)),
                name="assignment_submitted_has_total",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "state"], name="assignment_reviewer_state_idx")]

    def __str__(self) -> str:
        return f"{self.project} · {self.reviewer}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_ASSIGNMENT_STATES


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评审分配")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("评审指标")
    )
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class Objection(Created):
    """An objection (异议) raised during the public notice; staff resolve it before the project moves on."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="objections", verbose_name=_("合作项目")
    )
    objector_name = models.CharField(_("异议人"), max_length=60)
    # An e-mail address or a phone number: encrypted like every phone number (SPEC §7); staff only.
    objector_contact = EncryptedTextField(_("联系方式"), max_length=100)
    content = models.TextField(_("异议内容"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = created_at_field(_("提出时间"))

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ObjectionState.values), name="objection_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=ObjectionState.OPEN) | Q(resolved_at__isnull=False),
                name="objection_resolved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.objector_name}"


class Filing(Created):
    """Record-filing (备案) with the district talent work leading group office."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="filing", verbose_name=_("合作项目")
    )
    number = models.CharField(_("备案编号"), max_length=60)
    filed_on = models.DateField(_("备案日期"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("备案人")
    )
    created_at = created_at_field(_("录入时间"))

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Agreement(models.Model):
    """The signed cooperation agreement (合作协议)."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("合作项目")
    )
    file = models.FileField(
        _("协议文件"),
        upload_to=upload_path("projects/agreement"),
        storage=private_storage,
        validators=[validate_document],
    )
    signed_on = models.DateField(_("签订日期"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")

    def __str__(self) -> str:
        return f"{self.project} · {self.signed_on}"


class Appointment(Authored, Timestamped):
    """The service term (聘任) of the expert in the enterprise (contract in /work/contracts.md)."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="appointment", verbose_name=_("合作项目")
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="appointments", verbose_name=_("专家")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("企业"),
    )
    position = models.CharField(_("聘任岗位"), max_length=20, choices=Position.choices, default=Position.VP)
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=AppointmentState.choices,
        default=AppointmentState.ACTIVE,
        db_index=True,
    )
    start_date = models.DateField(_("聘期开始日期"))
    months = models.PositiveSmallIntegerField(_("服务期（月）"), default=24)
    end_date = models.DateField(_("聘期结束日期"))
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    created_by = created_by_field(_("聘任操作人"))

    class Meta:
        verbose_name = _("聘任")
        verbose_name_plural = _("聘任")
        ordering = ["-start_date", "-id"]
        # the appointment list (terms.selectors.appointment_list) pages down this order (issue 11)
        indexes = [models.Index(fields=["start_date", "id"], name="appointment_start_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=AppointmentState.values), name="appointment_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="appointment_months_positive"),
            models.UniqueConstraint(
                fields=["expert"],
                condition=Q(state=AppointmentState.ACTIVE),
                name="appointment_one_active_per_expert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.enterprise}（{self.start_date} 至 {self.end_date}）"


class AppointmentTransition(StateTransition):
    subject = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("聘任")
    )

    class Meta(StateTransition.Meta):
        verbose_name = _("聘任流转记录")
        verbose_name_plural = _("聘任流转记录")
