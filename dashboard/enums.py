from django.db import models
from django.utils.translation import pgettext_lazy


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "草稿")
    ISSUED = "issued", pgettext_lazy("report state", "已印发")


TRANSITIONS = {
    ReportState.DRAFT: {ReportState.ISSUED},
    ReportState.ISSUED: set(),
}

# 主送机关 of the annual report (the programme reports to the district's talent work leading group).
REPORT_ADDRESSEE = "区人才工作领导小组"
