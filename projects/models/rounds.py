"""Review rounds (评审批次) with their rubric (评审指标), and the commission's reviewer pool (评审专家)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Authored, Created, StateTransition, Timestamped

from ..enums import RoundState
from ..policy import DEFAULT_PASS_LINE
from ._common import ZERO


class ReviewRound(Authored, Timestamped):
    """A review round (评审批次): its rubric, reviewers per application, pass line and public notice."""

    name = models.CharField(_("批次名称"), max_length=120, unique=True)
    period_start = models.DateField(_("评审开始日期"))
    period_end = models.DateField(_("评审结束日期"))
    deadline = models.DateTimeField(_("评分截止时间"))
    reviewers_per_application = models.PositiveSmallIntegerField(_("每项申请评审专家人数"), default=3)
    leading_industry_bonus = models.DecimalField(
        _("主导产业加分"), max_digits=5, decimal_places=2, default=ZERO,
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
        verbose_name = verbose_name_plural = _("评审批次")
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


ReviewRoundTransition = StateTransition.table_for(ReviewRound, _("评审批次"), _("评审批次流转记录"))


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
        verbose_name = verbose_name_plural = _("评审指标")
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile",
        verbose_name=_("用户"),
    )
    name = models.CharField(_("姓名"), max_length=60)
    institution = models.ForeignKey(
        "experts.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="reviewers",
        verbose_name=_("工作单位（库内单位）"),
    )
    institution_name = models.CharField(_("工作单位"), max_length=120, blank=True)
    title = models.CharField(_("职称"), max_length=40, blank=True)
    expertise = models.TextField(_("专业领域"), help_text=_("研究方向、关键词，用于匹配评审项目"))
    expert = models.OneToOneField(
        "experts.Expert", on_delete=models.SET_NULL, null=True, blank=True, related_name="reviewer_profile",
        verbose_name=_("对应的库内专家"), help_text=_("评审专家本人也在专家库中时填写，用于回避"),
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", blank=True, related_name="linked_reviewers", verbose_name=_("有关联的企业"),
        help_text=_("任职、持股、顾问等关联关系，评审时回避"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("每批次最多评审数"), null=True, blank=True, help_text=_("留空表示不限")
    )
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("评审专家")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def workplace(self) -> str:
        return self.institution.name if self.institution_id else self.institution_name
