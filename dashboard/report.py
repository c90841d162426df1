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
        series=[_("预算"), _("已占用"), _("已支付"), _("余额")],
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
        # issue 21: verified outcomes (the outcome list filtered the same way holds exactly these)
        "outcomes_by_kind": _count_chart(
            _("%(year)s年已核实服务成果（按类型）") % {"year": year}, data["outcomes_by_kind"], font
        ),
        "outcomes_by_year": _count_chart(_("已核实服务成果（按年度）"), data["outcomes_by_year"], font),
        "outcomes_by_industry": _count_chart(
            _("%(year)s年已核实服务成果（按企业行业）") % {"year": year}, data["outcomes_by_industry"], font
        ),
        "outcomes_by_institution": _count_chart(
            _("%(year)s年已核实服务成果（按推荐单位）") % {"year": year},
            data["outcomes_by_institution"],
            font,
        ),
        "awards": {
            **_count_chart(_("年度评选获奖项目（按年度）"), award_rows, font),
            "levels": [r for r in data["awards"] if r["year"] == year],
        },
    }


# --- the annual report as a document (issue 19) -------------------------------------------------------

TABLES = (  # key of sections(), sheet/table title
    ("year_new", "年度新增"),
    ("experts_by_kind", "入库专家（按推荐单位类别）"),
    ("experts_by_discipline", "入库专家（按学科，前15）"),
    ("enterprises_by_industry", "已认证企业（按行业）"),
    ("funnel", "供需对接"),
    ("projects_by_state", "合作项目（按状态）"),
    ("projects_by_round", "评审批次项目数"),
    ("appointments", "聘任情况"),
)


def report_figures(year: int, as_of: date) -> dict:
    """Everything the report shows, as JSON (counts int, money strings): frozen with an issued report."""
    from core.documents import cn_date

    s = sections(year, as_of, links=False)
    appointments = {r.label: r.count for r in s["appointments"]["rows"]}
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "as_of_text": cn_date(as_of),
        "this": selectors.annual_summary(year),
        "last": selectors.annual_summary(year - 1),
        "stock": {
            "experts_in_pool": s["experts_by_kind"]["rows"][0].count if s["experts_by_kind"]["rows"] else 0,
            "appointments_active": next(iter(appointments.values()), 0),
        },
        "tables": {
            key: {
                "title": title,
                "rows": [{"label": r.label, "count": int(r.count), "highlight": bool(r.highlight)}
                         for r in s[key]["rows"]],
            }
            for key, title in TABLES
        },
        "money": [
            {"category": m.category, "label": m.label, "budget": str(m.budget), "committed": str(m.committed),
             "paid": str(m.paid), "remaining": str(m.remaining)}
            for m in s["money"]["rows"]
        ],
        # issue 21: the 成果 section (verified outcomes: count and amount per row)
        "outcomes": {
            key: [{"label": r.label, "count": int(r.count), "amount": str(r.extra.get("amount") or "0.00")}
                  for r in s[key]["rows"]]
            for key in OUTCOME_TABLES
        },
        # SPEC §5 go-live cut-over: settled outside the portal, not in the budget figures
        "settled_outside": [
            {"label": r.label, "count": int(r.count), "amount": str(r.amount)}
            for r in s["money"]["settled_outside"]
        ],
    }


OUTCOME_TABLES = {  # key of sections(), title (issue 21)
    "outcomes_by_kind": "已核实服务成果（按类型）",
    "outcomes_by_industry": "已核实服务成果（按企业行业）",
    "outcomes_by_institution": "已核实服务成果（按推荐单位）",
    "outcomes_by_year": "已核实服务成果（按年度）",
}

INDICATORS = (  # 表1: key of annual_summary, label, unit
    ("experts_admitted", "新入库专家", "人"),
    ("enterprises_verified", "新认证企业", "家"),
    ("appointments_started", "新聘任“科技副总”", "人"),
    ("demands", "发布企业需求", "项"),
    ("intents_accepted", "达成合作意向", "项"),
    ("projects_submitted", "申报合作项目", "项"),
    ("projects_completed", "结题合作项目", "项"),
    ("awards_count", "年度评选获奖项目", "项"),
    ("outcomes_verified", "核实服务成果", "项"),
)


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def report_context(figures: dict, *, problems: str = "", next_steps: str = "") -> dict:
    """The template context of the report PDF from frozen figures: generated sentences (dashboard.policy),
    staff's 存在问题 and 下一步工作, numbered figures (SVG) and formatted tables."""
    from core.documents import ISSUER_NAME, official_context, seal

    from . import policy
    from .enums import REPORT_ADDRESSEE

    year, this, last = figures["year"], figures["this"], figures["last"]
    indicators = [
        {"label": f"{label}（{unit}）", "last": last.get(key, 0), "this": this.get(key, 0),
         "change": policy.change_phrase(this.get(key, 0), last.get(key, 0))}
        for key, label, unit in INDICATORS
    ]
    paid_total = sum((Decimal(v) for v in this["paid"].values()), Decimal("0"))
    paid_last = sum((Decimal(v) for v in last["paid"].values()), Decimal("0"))
    indicators.append({
        "label": "支付资金（元）", "last": policy.yuan(paid_last), "this": policy.yuan(paid_total),
        "change": policy.change_phrase(paid_total, paid_last),
    })
    charts = [
        (f"年度主要指标（{year}年与{year - 1}年）", bar_svg(Chart(
            "", [Bar(label, [last.get(key, 0), this.get(key, 0)]) for key, label, _u in INDICATORS[:7]],
            series=[f"{year - 1}年", f"{year}年"]), font=PDF_FONT)),
        (f"{year}年度预算执行情况（元）", bar_svg(Chart(
            "", [Bar(m["label"], [Decimal(m["budget"]), Decimal(m["committed"]), Decimal(m["paid"])])
                 for m in figures["money"]],
            series=["预算", "已占用", "已支付"]), font=PDF_FONT)),
        ("入库专家（按推荐单位类别）", bar_svg(Chart(
            "", [Bar(r["label"], [r["count"]]) for r in figures["tables"]["experts_by_kind"]["rows"]]),
            font=PDF_FONT)),
        ("合作项目（按状态）", bar_svg(Chart(
            "", [Bar(r["label"], [r["count"]]) for r in figures["tables"]["projects_by_state"]["rows"]]),
            font=PDF_FONT)),
    ]
    money_rows = [
        {"label": m["label"], **{k: policy.yuan(m[k]) for k in ("budget", "committed", "paid", "remaining")}}
        for m in figures["money"]
    ]
    totals = {k: policy.yuan(sum((Decimal(m[k]) for m in figures["money"]), Decimal("0")))
              for k in ("budget", "committed", "paid", "remaining")}
    appendix = [t for key, t in figures["tables"].items() if key != "year_new"]
    return {
        "year": year,
        "overview": policy.overview_paragraphs(figures),
        "achievements": policy.achievement_paragraphs(figures),
        "problems": _paragraphs(problems),
        "next_steps": _paragraphs(next_steps),
        "indicators": indicators,
        "figures_svg": [{"number": i, "caption": c, "svg": svg} for i, (c, svg) in enumerate(charts, 1)],
        "money_rows": money_rows,
        "settled_outside": [
            {**r, "amount": policy.yuan(r["amount"])} for r in figures.get("settled_outside", [])
        ],
        "money_totals": totals,
        "awards": [{**a, "amount": policy.yuan(a["amount"])} for a in this.get("awards", [])],
        "outcome_tables": [
            {"title": OUTCOME_TABLES[key], "rows": [{**r, "amount": policy.yuan(r["amount"])} for r in rows]}
            for key, rows in figures.get("outcomes", {}).items()
        ],
        "appendix_tables": appendix,
        "figures_data": figures,
        **official_context(
            mark_lines=[ISSUER_NAME],
            addressee=REPORT_ADDRESSEE,
            seals=[seal(ISSUER_NAME, date.fromisoformat(figures.get("issued_on") or figures["as_of"]))],
            attachment_titles=[f"{year}年度“科技副总”工作数据表"],
        ),
    }


def report_title(year: int) -> str:
    return f"关于{year}年度昌平区“科技副总”工作情况的报告"


def report_xlsx_from(figures: dict) -> bytes:
    """The report's workbook from frozen figures: one headed sheet per part (title row, unit, header,
    data), column widths set, money as numbers with thousands separators."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    year = figures["year"]
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)

    def sheet(name, title, header, rows, widths, money_cols=()):
        ws = wb.create_sheet(name[:31])
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append([f"数据截至{figures['as_of_text']}" + ("　单位：元" if money_cols else "")])
        ws.append([str(h) for h in header])
        for cell in ws[3]:
            cell.font = bold
        for row in rows:
            ws.append([safe_cell(v) for v in row])
        for r in range(4, ws.max_row + 1):
            for c in money_cols:
                ws.cell(row=r, column=c).number_format = "#,##0.00"
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A4"

    from . import policy

    this, last, t = figures["this"], figures["last"], figures["tables"]

    def rows(*keys):
        out = []
        for key in keys:
            if out:
                out.append(("", ""))
            out += [(r["label"], r["count"]) for r in t[key]["rows"]]
        return out

    count = [_("项目"), _("数量")]
    sheet(_("主要指标"), f"{year}年度“科技副总”工作主要指标",
          [_("指标"), f"{year - 1}年", f"{year}年", _("同比")],
          [(f"{label}（{unit}）", last.get(k, 0), this.get(k, 0),
            policy.change_phrase(this.get(k, 0), last.get(k, 0))) for k, label, unit in INDICATORS],
          [30, 12, 12, 18])
    sheet(_("年度新增"), f"{year}年度新增", count, rows("year_new"), [30, 12])
    sheet(_("专家"), "入库专家（按推荐单位类别、学科）", count,
          rows("experts_by_kind", "experts_by_discipline"), [36, 12])
    sheet(_("企业"), "已认证企业（按行业）", [_("行业"), _("已认证企业数"), _("主导产业")],
          [(r["label"], r["count"], _("是") if r["highlight"] else "")
           for r in t["enterprises_by_industry"]["rows"]],
          [36, 14, 10])
    sheet(_("项目"), "供需对接、合作项目和聘任情况", count,
          rows("funnel", "projects_by_state", "projects_by_round", "appointments"), [36, 12])
    settled = figures.get("settled_outside", [])
    sheet(_("资金"), f"{year}年度预算执行情况", [_("科目"), _("预算"), _("已占用"), _("已支付"), _("余额")],
          [(m["label"], *(Decimal(m[k]) for k in ("budget", "committed", "paid", "remaining")))
           for m in figures["money"]]
          + ([("", "", "", "", ""), (_("平台上线前已在平台外结清"), _("笔数"), _("金额"), "", "")]
             + [(_("%(label)s（上线前已结清）") % {"label": r["label"]}, r["count"], Decimal(r["amount"]),
                 "", "") for r in settled] if settled else []),
          [28, 18, 18, 18, 18], money_cols=(2, 3, 4, 5))
    sheet(_("评选奖励"), f"{year}年度评选获奖情况", [_("年度"), _("奖项"), _("数量"), _("金额")],
          [(year, a["level_label"], a["count"], Decimal(a["amount"])) for a in this.get("awards", [])],
          [10, 20, 10, 18], money_cols=(4,))
    outcome_rows = []
    for key, rows_ in figures.get("outcomes", {}).items():
        if outcome_rows:
            outcome_rows.append(("", "", ""))
        outcome_rows.append((OUTCOME_TABLES[key], "", ""))
        outcome_rows += [(r["label"], r["count"], Decimal(r["amount"])) for r in rows_]
    sheet(_("服务成果"), f"{year}年度已核实服务成果", [_("项目"), _("成果数"), _("金额")], outcome_rows,
          [36, 12, 18], money_cols=(3,))
    sheet(_("任职评价"), f"{year}年度任职评价等级", [_("等级"), _("人数")],
          [(g["label"], g["count"]) for g in this.get("grades", [])], [16, 10])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def report_xlsx(year: int, as_of: date) -> bytes:
    """The live (not issued) workbook of a year, as the dashboard's download."""
    return report_xlsx_from(report_figures(year, as_of))


def report_pdf_bytes(figures: dict, *, problems: str = "", next_steps: str = "", document=None,
                     extra: dict | None = None) -> bytes:
    """An unsigned draft preview (草稿): the issued PDF goes through core.documents.document_issue."""
    from types import SimpleNamespace

    from core.pdf import render_pdf

    doc = document or SimpleNamespace(serial="（草稿）", title=report_title(figures["year"]))
    return render_pdf(
        "dashboard/pdf/annual_report.html",
        {**report_context(figures, problems=problems, next_steps=next_steps), "document": doc, "draft": True,
         "verification_url": "（印发后生成）", "qr_data_uri": "", **(extra or {})},
    )


def report_pdf(year: int, as_of: date) -> bytes:
    """The live draft of a year's report (not issued, not signed): the dashboard's download."""
    return report_pdf_bytes(report_figures(year, as_of))
