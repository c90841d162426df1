"""Demo annual reports: this year's issued (signed PDF, frozen figures, workbook) and a draft of its second
version (the demo's data lie in this year)."""

from __future__ import annotations

from django.utils import timezone

PROBLEMS = (
    "一是部分企业需求描述不够具体，供需对接效率有待提高。\n"
    "二是个别“科技副总”在岗时间不足，服务成效评价标准有待细化。\n"
    "三是人才生活补贴发放周期较长，资金拨付进度需进一步加快。"
)
NEXT_STEPS = (
    "一是完善需求征集和专家推荐机制，提高对接精准度。\n"
    "二是加强服务期管理和年度考核，推广优秀“科技副总”经验做法。\n"
    "三是会同区财政局优化资金拨付流程，确保补贴按时足额发放。"
)


def seed(stdout) -> None:
    from accounts.models import User

    from . import services
    from .models import AnnualReport

    staff = User.objects.filter(username="kw_wang").first()
    if staff is None:
        return
    year = timezone.localdate().year
    if AnnualReport.objects.filter(year=year).exists():
        return
    draft = services.report_draft_create(year=year, by=staff)
    services.report_draft_save(report_obj=draft, problems=PROBLEMS, next_steps=NEXT_STEPS, by=staff)
    issued = services.report_issue(report_obj=draft, by=staff)
    services.report_draft_create(year=year, by=staff)  # a second version, being written
    stdout.write(f"  dashboard: annual report {year} issued ({issued.document.serial}), version 2 drafted")
