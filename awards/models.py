"""Annual awards (年度评选) for completed (结题) projects: the cycle of a year with its quotas, rubric and
windows; the applications (joint, or nominated by staff); the reviewers' score sheets; the prizes.

Quotas are enforced in the service (cycle row locked) and, on PostgreSQL, by a trigger on the prize
table (migration 0002), so no code path can give a level more prizes than its quota.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Authored, Created, StateTransition, Timestamped
from core.uploads import private_storage, upload_path, validate_document

from .enums import (
    ApplicationSource,
    ApplicationState,
    CycleState,
    PrizeLevel,
    SheetState,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
SCORE = {"max_digits": 6, "decimal_places": 2}


class AwardCycle(Authored, Timestamped):
    """The award cycle of one year: projects completed (结题) in `year` may enter."""

    year = models.PositiveSmallIntegerField(_("评选年度"), unique=True, help_text=_("参评项目的结题年度"))
    title = models.CharField(_("评选名称"), max_length=150)
    policy_version = models.ForeignKey(
        "subsidies.PolicyVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("政策版本"),
        help_text=_("奖金标准取自该政策版本"),
    )
    budget_year = models.PositiveSmallIntegerField(_("预算年度"), help_text=_("奖金在该年度预算中列支"))
    quota_first = models.PositiveSmallIntegerField(_("一等奖名额"), default=1)
    quota_second = models.PositiveSmallIntegerField(_("二等奖名额"), default=2)
    quota_third = models.PositiveSmallIntegerField(_("三等奖名额"), default=3)
    apply_start = models.DateField(_("申报开始日期"))
    apply_end = models.DateField(_("申报截止日期"))
    score_deadline = models.DateTimeField(_("评分截止时间"))
    reviewers_per_application = models.PositiveSmallIntegerField(_("每项申请评审专家人数"), default=3)
    state = models.CharField(
        _("状态"), max_length=20, choices=CycleState.choices, default=CycleState.DRAFT, db_index=True
    )
    decision_reason = models.TextField(_("评定说明"), blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("年度评选")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CycleState.values), name="awardcycle_state_valid"),
            models.CheckConstraint(
                condition=Q(apply_end__gte=F("apply_start")), name="awardcycle_window_order"
            ),
            models.CheckConstraint(
                condition=Q(reviewers_per_application__gte=1), name="awardcycle_reviewers_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quotas(self) -> dict[int, int]:
        return {1: self.quota_first, 2: self.quota_second, 3: self.quota_third}

    @property
    def amounts(self) -> dict[int, Decimal]:
        return self.policy_version.award_amounts

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), Decimal("0"))


AwardCycleTransition = StateTransition.table_for(AwardCycle, _("年度评选"), _("年度评选流转记录"))


class AwardCriterion(models.Model):
    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("年度评选")
    )
    name = models.CharField(_("评审指标"), max_length=60)
    max_points = models.DecimalField(_("满分"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("评选指标")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="awardcriterion_unique_name"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="awardcriterion_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points:g}）"


class AwardApplication(Authored, Timestamped):
    """A completed project's application: joint (enterprise drafts, expert confirms) or nominated."""

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("年度评选")
    )
    completion = models.ForeignKey(
        "terms.Completion", on_delete=models.PROTECT, related_name="award_applications",
        verbose_name=_("项目结题"),
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="award_applications",
        verbose_name=_("合作项目"),
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="award_applications", verbose_name=_("专家")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="award_applications",
        verbose_name=_("企业"),
    )
    source = models.CharField(
        _("申报方式"), max_length=20, choices=ApplicationSource.choices, default=ApplicationSource.JOINT
    )
    summary = models.TextField(_("成果总结"))
    patents = models.TextField(_("专利"), blank=True, help_text=_("授权或受理的专利，每行一项"))
    products = models.TextField(_("新产品/新工艺"), blank=True)
    revenue = models.TextField(_("新增营收与效益"), blank=True)
    standards = models.TextField(_("标准"), blank=True)
    papers = models.TextField(_("论文"), blank=True)
    evidence_file = models.FileField(
        _("佐证材料"), upload_to=upload_path("awards/evidence"), storage=private_storage,
        validators=[validate_document], blank=True, max_length=200,
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT,
        db_index=True,
    )
    expert_confirmed_at = models.DateTimeField(_("专家确认时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    score = models.DecimalField(_("评审得分"), null=True, blank=True, **SCORE)
    spread = models.DecimalField(_("评分极差"), null=True, blank=True, **SCORE)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    proposed_level = models.PositiveSmallIntegerField(
        _("评定等级"), choices=PrizeLevel.choices, null=True, blank=True
    )
    created_by = Authored.created_by_field(_("填报人"))

    EVIDENCE_FIELDS = ("patents", "products", "revenue", "standards", "papers")

    class Meta:
        verbose_name = verbose_name_plural = _("评选申报")
        ordering = ["cycle", "rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ApplicationState.values), name="awardapplication_state_valid"
            ),
            # one application per project and cycle (a second one is refused by the database)
            models.UniqueConstraint(fields=["cycle", "project"], name="awardapplication_one_per_project"),
            models.CheckConstraint(
                condition=Q(proposed_level__isnull=True) | Q(proposed_level__in=PrizeLevel.values),
                name="awardapplication_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.cycle.year}"


AwardApplicationTransition = StateTransition.table_for(AwardApplication, _("评选申报"), _("评选申报流转记录"))


class AwardSheet(Timestamped):
    """One reviewer (projects.Reviewer) on one application, with the scores; locked once submitted."""

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("年度评选")
    )
    application = models.ForeignKey(
        AwardApplication, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("评选申报")
    )
    reviewer = models.ForeignKey(
        "projects.Reviewer", on_delete=models.PROTECT, related_name="award_sheets", verbose_name=_("评审专家")
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=SheetState.choices, default=SheetState.ASSIGNED
    )
    fit = models.DecimalField(_("匹配度"), max_digits=5, decimal_places=4, default=Decimal("0"))
    comment = models.TextField(_("评审意见"), blank=True)
    total = models.DecimalField(_("总分"), null=True, blank=True, **SCORE)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    conflict_reason = models.TextField(_("回避原因"), blank=True)
    created_at = Timestamped.created_at_field(_("分配时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("评选评分表")
        ordering = ["application_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SheetState.values), name="awardsheet_state_valid"),
            models.UniqueConstraint(fields=["application", "reviewer"], name="awardsheet_unique_reviewer"),
            models.CheckConstraint(
                condition=~Q(state=SheetState.SUBMITTED)
                | (Q(submitted_at__isnull=False) & Q(total__isnull=False)),
                name="awardsheet_submitted_has_total",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "state"], name="awardsheet_reviewer_state_idx")]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application}"


class AwardScore(models.Model):
    sheet = models.ForeignKey(
        AwardSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评分表")
    )
    criterion = models.ForeignKey(
        AwardCriterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("评审指标")
    )
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = _("评选得分")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="awardscore_unique_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="awardscore_points_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class Award(Authored, Created):
    """A prize given when the cycle's decision is approved; paid to the expert personally."""

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="awards", verbose_name=_("年度评选")
    )
    application = models.OneToOneField(
        AwardApplication, on_delete=models.PROTECT, related_name="award", verbose_name=_("评选申报")
    )
    level = models.PositiveSmallIntegerField(_("奖励等级"), choices=PrizeLevel.choices)
    amount = models.DecimalField(_("奖金"), **MONEY)
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="awards", verbose_name=_("获奖专家")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="awards", verbose_name=_("企业")
    )
    commitment = models.OneToOneField(
        "subsidies.BudgetCommitment", on_delete=models.PROTECT, null=True, blank=True, related_name="award",
        verbose_name=_("预算占用"),
    )
    payment = models.OneToOneField(
        "subsidies.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="award",
        verbose_name=_("付款"),
    )
    created_by = Authored.created_by_field(_("审定人"))
    created_at = Created.created_at_field(_("审定时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("获奖项目")
        ordering = ["cycle", "level", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=PrizeLevel.values), name="award_level_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.get_level_display()} · {self.expert}"
