"""The cooperation project (合作项目) filed by the enterprise with the expert, and what hangs off it: the
reviewers' score sheets (ReviewAssignment, Score), objections raised during the public notice, the
record-filing (备案) and the signed cooperation agreement (合作协议)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.models import Authored, Created, StateTransition, Timestamped
from core.uploads import private_storage, upload_path, validate_document
from enterprises.enums import Position

from ..enums import (
    ACTIVE_ASSIGNMENT_STATES,
    FIELD_CHOICES,
    LIVE_STATES,
    AssignmentState,
    Decision,
    ObjectionState,
    ProjectState,
)
from ._common import MONEY, ZERO
from .rounds import Reviewer, ReviewRound, RubricCriterion


class Project(Authored, Timestamped):
    """A cooperation project filed by the enterprise (main applicant) with the expert, from an accepted
    intent. Budget lines must add up to the total; the management fee is at most 5 % (both in the DB)."""

    intent = models.ForeignKey(
        "enterprises.Intent", on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
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
        _("合作方案"), upload_to=upload_path("projects/plan"), storage=private_storage,
        validators=[validate_document], blank=True,
    )
    qualification_file = models.FileField(
        _("企业资质证明"), upload_to=upload_path("projects/qualification"), storage=private_storage,
        validators=[validate_document], blank=True,
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ProjectState.choices, default=ProjectState.DRAFT, db_index=True
    )
    expert_confirmed_at = models.DateTimeField(_("专家确认时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_by = Authored.created_by_field(_("填报人"))

    class Meta:
        verbose_name = verbose_name_plural = _("合作项目")
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
                fields=["expert"], condition=Q(state__in=sorted(LIVE_STATES)),
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


ProjectTransition = StateTransition.table_for(Project, _("合作项目"), _("项目流转记录"))


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
    created_at = Timestamped.created_at_field(_("分配时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("评审分配")
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
        verbose_name = verbose_name_plural = _("评分")
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = Created.created_at_field(_("提出时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("公示异议")
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
    created_at = Created.created_at_field(_("录入时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("备案")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Agreement(models.Model):
    """The signed cooperation agreement (合作协议)."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("合作项目")
    )
    file = models.FileField(
        _("协议文件"), upload_to=upload_path("projects/agreement"), storage=private_storage,
        validators=[validate_document],
    )
    signed_on = models.DateField(_("签订日期"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("合作协议")

    def __str__(self) -> str:
        return f"{self.project} · {self.signed_on}"
