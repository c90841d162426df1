"""The figures as charts and tables, shared by the dashboard page, the annual report PDF and its .xlsx:
one source, so the three always agree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.exports import safe_cell

from . import selectors
from .charts import Bar, Chart, bar_svg
from .hooks import awards_list_url

PDF_FONT = "Noto Serif CJK SC"  # the one face core.pdf documents embed


def awards_by_year(rows: list[dict]) -> list[selectors.Row]:
    years: dict[int, list] = {}
    for r in rows:
        acc = years.setdefault(r["year"], [0, Decimal("0.00")])
        acc[0] += r["count"]
        acc[1] += Decimal(r["amount"] or 0)
    url = awards_list_url()
    return [
        selectors.Row(str(y), c, f"{url}?year={y}" if url else "", extra={"amount": a})
        for y, (c, a) in sorted(years.items())
    ]


def _count_chart(title: str, rows: list[selectors.Row], font: str) -> dict:
    chart = Chart(title, [Bar(r.label, [r.count], r.url, r.highlight) for r in rows])
    return {"title": title, "rows": rows, "svg": bar_svg(chart, font=font)}


def sections(year: int, as_of: date, *, links: bool = True, font: str = "sans-serif") -> dict:
    """Every section of the dashboard: title, table rows and the SVG chart. `links=False` drops the
    URLs (for roles that may not open the lists, and for the PDF)."""
    data = selectors.dashboard_get(year=year, as_of=as_of)
    if not links:
        for key, rows in data.items():
            if key not in ("money", "awards", "settled_outside"):
                for r in rows:
                    r.url = ""
    award_rows = awards_by_year(data["awards"])
    if not links:
        for r in award_rows:
            r.url = ""
    money_chart = Chart(
        _("%(year)s年度预算执行（元）") % {"year": year},
        [Bar(m.label, [m.budget, m.committed, m.paid, m.remaining]) for m in data["money"]],
        series=[_("预算"), _("已承诺"), _("已支付"), _("剩余")],
    )
    return {
        "year_new": _count_chart(_("%(year)s年度新增") % {"year": year}, data["year_new"], font),
        "experts_by_kind": _count_chart(_("入库专家（按推荐单位类别）"), data["experts_by_kind"], font),
        "experts_by_discipline": _count_chart(
            _("入库专家（按学科，前15）"), data["experts_by_discipline"], font
        ),
        "enterprises_by_industry": _count_chart(
            _("已认证企业（按行业，红色为主导产业）"), data["enterprises_by_industry"], font
        ),
        "funnel": _count_chart(_("%(year)s年供需对接漏斗") % {"year": year}, data["funnel"], font),
        "projects_by_state": _count_chart(_("合作项目（按状态）"), data["projects_by_state"], font),
        "projects_by_round": _count_chart(
            _("%(year)s年评审批次项目数") % {"year": year}, data["projects_by_round"], font
        ),
        "appointments": _count_chart(_("聘任情况"), data["appointments"], font),
        "money": {
            "title": money_chart.title,
            "rows": data["money"],
            "svg": bar_svg(money_chart, font=font),
            "settled_outside": data["settled_outside"],
        },
        "awards": {
            **_count_chart(_("年度评选获奖项目（按年度）"), award_rows, font),
            "levels": [r for r in data["awards"] if r["year"] == year],
        },
    }


def report_xlsx(year: int, as_of: date) -> bytes:
    """The annual programme report as a workbook: one sheet per part, the same figures as the dashboard."""
    s = sections(year, as_of, links=False)
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title, header, rows):
        ws = wb.create_sheet(title[:31])
        ws.append([str(h) for h in header])
        for row in rows:
            ws.append([safe_cell(v) for v in row])

    count = [_("项目"), _("数量")]
    sheet(_("年度新增"), count, [(r.label, r.count) for r in s["year_new"]["rows"]])
    sheet(
        _("专家"),
        count,
        [(r.label, r.count) for r in s["experts_by_kind"]["rows"]]
        + [("", "")]
        + [(r.label, r.count) for r in s["experts_by_discipline"]["rows"]],
    )
    sheet(
        _("企业"),
        [_("行业"), _("已认证企业数"), _("主导产业")],
        [(r.label, r.count, _("是") if r.highlight else "") for r in s["enterprises_by_industry"]["rows"]],
    )
    sheet(
        _("项目"),
        count,
        [(r.label, r.count) for r in s["funnel"]["rows"]]
        + [("", "")]
        + [(r.label, r.count) for r in s["projects_by_state"]["rows"]]
        + [("", "")]
        + [(r.label, r.count) for r in s["projects_by_round"]["rows"]]
        + [("", "")]
        + [(r.label, r.count) for r in s["appointments"]["rows"]],
    )
    sheet(
        _("资金"),
        [_("科目"), _("预算"), _("已承诺"), _("已支付"), _("剩余")],
        [(m.label, m.budget, m.committed, m.paid, m.remaining) for m in s["money"]["rows"]]
        + [("", "", "", "", ""), (_("平台上线前已在平台外结清"), _("笔数"), _("金额"), "", "")]
        + [
            (_("%(label)s（上线前已结清）") % {"label": r.label}, r.count, r.amount, "", "")
            for r in s["money"]["settled_outside"]
        ],
    )
    sheet(
        _("评选奖励"),
        [_("年度"), _("奖项"), _("数量"), _("金额")],
        [(r["year"], r["level_label"], r["count"], r["amount"]) for r in s["awards"]["levels"]],
    )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_pdf(year: int, as_of: date) -> bytes:
    from core.pdf import render_pdf

    return render_pdf(
        "dashboard/pdf/annual_report.html",
        {"year": year, "as_of": as_of, "s": sections(year, as_of, links=False, font=PDF_FONT)},
    )
