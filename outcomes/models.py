"""Countable results of a service term (issue 21): the kinds staff maintain, the outcomes reported per
appointment and their verification, the project's structured targets, overrides of "target met", and
the verified outcomes an award application attaches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StateTransition, Timestamped
from core.uploads import DocumentValidator, private_storage, upload_path

from .enums import CLAIMING_STATES, Level, OutcomeState, Side
from .policy import EVIDENCE_KINDS, KindRules

USER = settings.AUTH_USER_MODEL


class OutcomeKind(models.Model):
    """Reference data: one kind of countable result, with what an outcome of it must carry."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("成果类型"), max_length=60, unique=True)
    group = models.CharField(_("类别"), max_length=30)
    unit = models.CharField(_("计量单位"), max_length=10)
    identifier_label = models.CharField(_("编号名称"), max_length=30, blank=True)
    identifier_required = models.BooleanField(_("须填编号"), default=False)
    is_patent = models.BooleanField(_("专利类（编号忽略ZL/CN前缀）"), default=False)
    evidence_required = models.BooleanField(_("须上传证明材料"), default=True)
    counts_for_awards = models.BooleanField(_("计入年度评选"), default=True)
    has_level = models.BooleanField(_("分级别"), default=False)
    has_amount = models.BooleanField(_("有金额"), default=False)
    enterprise_declared = models.BooleanField(_("企业自报数据"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("成果类型")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def rules(self) -> KindRules:
        return KindRules(
            identifier_required=self.identifier_required, evidence_required=self.evidence_required,
            has_level=self.has_level, has_amount=self.has_amount, enterprise_only=self.enterprise_declared,
        )


class Outcome(Timestamped):
    """One result of one term, reported by one side, confirmed by the other, verified by staff."""

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("聘任")
    )
    kind = models.ForeignKey(
        OutcomeKind, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("成果类型")
    )
    title = models.CharField(_("成果名称"), max_length=200)
    identifier = models.CharField(_("编号"), max_length=80, blank=True)
    #: the identifier as it counts once (outcomes.policy.normalise_identifier)
    identifier_key = models.CharField(_("编号（规范化）"), max_length=80, blank=True, editable=False)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    achieved_on = models.DateField(_("取得日期"))
    description = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(
        _("证明材料"), upload_to=upload_path("outcomes/evidence"), storage=private_storage,
        validators=[DocumentValidator(EVIDENCE_KINDS)], blank=True, max_length=200,
    )
    side = models.CharField(_("填报方"), max_length=12, choices=Side.choices)
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    state = models.CharField(
        _("状态"), max_length=30, choices=OutcomeState.choices, default=OutcomeState.AWAITING_CONFIRMATION,
        db_index=True,
    )
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("确认人")
    )
    verified_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("核实人")
    )
    verified_on = models.DateField(_("核实日期"), null=True, blank=True, db_index=True)
    created_at = Timestamped.created_at_field(_("填报时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("服务成果")
        ordering = ["-achieved_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=OutcomeState.values), name="outcome_state_valid"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="outcome_side_valid"),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=Level.values), name="outcome_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="outcome_amount_not_negative"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="outcome_quantity_positive"),
            # one identifier counts once across all appointments (issue 21 item 2)
            models.UniqueConstraint(
                fields=["kind", "identifier_key"],
                condition=~Q(identifier_key="") & Q(state__in=sorted(CLAIMING_STATES)),
                name="outcome_identifier_counts_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.title}"


OutcomeTransition = StateTransition.table_for(Outcome, _("服务成果"), _("成果流转记录"))


class ProjectTarget(models.Model):
    """A structured target of the project's 预期成果与考核指标: a kind with a quantity, an amount or both."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="outcome_targets",
        verbose_name=_("合作项目"),
    )
    kind = models.ForeignKey(
        OutcomeKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("成果类型")
    )
    quantity = models.PositiveIntegerField(_("目标数量"), null=True, blank=True)
    amount = models.DecimalField(_("目标金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("预期成果目标")
        ordering = ["kind__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="projecttarget_one_per_kind"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=False) | Q(amount__isnull=False), name="projecttarget_has_value"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="projecttarget_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=1),
                name="projecttarget_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.kind}"


class TargetOverride(models.Model):
    """ "Met" set against what the verified outcomes give, with the reason (issue 21 item 3)."""

    appointment = models.ForeignKey(
        "projects.Appointment", on_delete=models.CASCADE, related_name="target_overrides",
        verbose_name=_("聘任"),
    )
    target = models.ForeignKey(
        ProjectTarget, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("预期成果目标")
    )
    met = models.BooleanField(_("已达成"))
    reason = models.TextField(_("调整理由"))
    set_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("调整人"))
    set_at = models.DateTimeField(_("调整时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("指标达成调整")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "target"], name="targetoverride_one_per_target"),
            models.CheckConstraint(condition=~Q(reason=""), name="targetoverride_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.met}"


class AwardOutcome(models.Model):
    """A verified outcome of the application's own appointment, attached to an award application."""

    application = models.ForeignKey(
        "awards.AwardApplication", on_delete=models.CASCADE, related_name="attached_outcomes",
        verbose_name=_("评选申报"),
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="award_links", verbose_name=_("服务成果")
    )
    attached_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    attached_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("申报附带成果")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "outcome"], name="awardoutcome_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.outcome}"
