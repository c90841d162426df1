"""The annual programme report as an issued official document (issue 19): staff write 存在问题 and
下一步工作 on a draft, issuing freezes the figures (JSON), the signed PDF (core.IssuedDocument) and the
workbook; a new version of the same year is a new issue with a new 文号."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Authored, IssuedDocument, StateTransition, Timestamped

from .enums import REPORT_ADDRESSEE, ReportState


def _xlsx_path(instance: AnnualReport, filename: str) -> str:
    return f"reports/{instance.year}/annual-report-{instance.year}-v{instance.version}.xlsx"


class AnnualReport(Authored, Timestamped):
    year = models.PositiveSmallIntegerField(_("报告年度"))
    version = models.PositiveSmallIntegerField(_("版次"), default=1)
    state = models.CharField(_("状态"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    addressee = models.CharField(_("主送机关"), max_length=100, default=REPORT_ADDRESSEE)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下一步工作"), blank=True)
    as_of = models.DateField(_("数据截至日期"), null=True, blank=True)
    figures = models.JSONField(_("报告数据"), null=True, blank=True, editable=False)
    document = models.OneToOneField(
        IssuedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("报告文书"),
    )
    xlsx = models.FileField(_("数据表"), upload_to=_xlsx_path, max_length=200, blank=True)
    created_by = Authored.created_by_field(_("起草人"), null=False, blank=False)

    class Meta:
        verbose_name = verbose_name_plural = _("年度工作报告")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="annualreport_unique_year_version"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(state=ReportState.DRAFT),
                name="annualreport_one_draft_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(state=ReportState.DRAFT)
                | models.Q(document__isnull=False, figures__isnull=False, as_of__isnull=False),
                name="annualreport_issued_is_frozen",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ReportState.values), name="annualreport_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度工作报告（第{self.version}版）"

    @property
    def is_issued(self) -> bool:
        return self.state == ReportState.ISSUED


AnnualReportTransition = StateTransition.table_for(AnnualReport, _("年度工作报告"), _("年度工作报告状态变更"))
