"""The annual report's generated text (issue 19 item 3): pure functions of the year's frozen figures, so an
issued report always reads the same and the sentences are tested table by table.

Figures (`dashboard.report.report_figures`) are JSON: counts as int, money as strings of Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")


def yuan(value) -> str:
    """An amount in yuan for a sentence or a table cell: thousands separators, two decimals — 1,234,500.00."""
    amount = Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


def change_phrase(current, previous) -> str:
    """Year-on-year change: "同比增长25.0%", "同比下降10.0%", "与上年持平", "上年为零"."""
    current, previous = Decimal(str(current or 0)), Decimal(str(previous or 0))
    if previous == ZERO:
        return "与上年持平" if current == ZERO else "上年为零"
    if current == previous:
        return "与上年持平"
    rate = ((current - previous) / previous * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"同比增长{rate}%" if rate > 0 else f"同比下降{-rate}%"


def _count(label: str, unit: str, this: dict, last: dict, key: str) -> str:
    return f"{label}{this.get(key, 0)}{unit}（{change_phrase(this.get(key, 0), last.get(key, 0))}）"


def overview_paragraphs(figures: dict) -> list[str]:
    """总体情况: what the year added and where the programme stands, with the year-on-year changes."""
    year, this, last = figures["year"], figures["this"], figures["last"]
    first = (
        f"{year}年，全区“科技副总”工作"
        + "，".join(
            [
                _count("新入库专家", "人", this, last, "experts_admitted"),
                _count("新认证企业", "家", this, last, "enterprises_verified"),
                _count("新聘任“科技副总”", "人", this, last, "appointments_started"),
            ]
        )
        + "。"
    )
    second = (
        "供需对接方面，"
        + "，".join(
            [
                _count("全年发布企业需求", "项", this, last, "demands"),
                _count("达成合作意向", "项", this, last, "intents_accepted"),
                _count("申报合作项目", "项", this, last, "projects_submitted"),
            ]
        )
        + "。"
    )
    stock = figures.get("stock", {})
    third = (
        f"截至{figures['as_of_text']}，专家库在库专家{stock.get('experts_in_pool', 0)}人，"
        f"在聘“科技副总”{stock.get('appointments_active', 0)}人。"
    )
    return [first, second, third]


def achievement_paragraphs(figures: dict) -> list[tuple[str, str]]:
    """主要成效: (sub-heading, paragraph) for appointments, projects completed, money paid, awards and the
    evaluation grades of the year."""
    year, this, last = figures["year"], figures["this"], figures["last"]
    paid, paid_last = this.get("paid", {}), last.get("paid", {})
    total = sum((Decimal(v) for v in paid.values()), ZERO)
    total_last = sum((Decimal(v) for v in paid_last.values()), ZERO)
    grades = this.get("grades", [])
    graded = sum(g["count"] for g in grades)
    out = [
        (
            "（一）选聘和派驻",
            f"全年新聘任“科技副总”{this.get('appointments_started', 0)}人"
            f"（{change_phrase(this.get('appointments_started', 0), last.get('appointments_started', 0))}），"
            f"新认证企业{this.get('enterprises_verified', 0)}家。",
        ),
        (
            "（二）合作项目",
            f"全年结题合作项目{this.get('projects_completed', 0)}项"
            f"（{change_phrase(this.get('projects_completed', 0), last.get('projects_completed', 0))}）。",
        ),
        (
            "（三）资金支付",
            f"全年支付“科技副总”资金{yuan(total)}元（{change_phrase(total, total_last)}），其中"
            + "，".join(f"{row['label']}{yuan(paid.get(row['category'], 0))}元" for row in figures["money"])
            + "。",
        ),
        (
            "（四）年度评选",
            (
                f"{year}年度评选共评出获奖项目{this.get('awards_count', 0)}项，"
                f"奖励金额{yuan(this.get('awards_amount', 0))}元。"
                if this.get("awards_count")
                else f"{year}年度评选尚未产生获奖项目。"
            ),
        ),
        (
            "（五）任职评价",
            (
                f"全年完成任职评价{graded}人，其中"
                + "，".join(f"“{g['label']}”{g['count']}人" for g in grades if g["count"])
                + "。"
                if graded
                else "全年尚无完成任职评价的“科技副总”。"
            ),
        ),
    ]
    if "outcomes_verified" in this:  # issue 21 (reports issued before it have no such figure)
        outcomes = this.get("outcomes_verified", 0)
        out.append(
            (
                "（六）服务成果",
                f"全年经区科委核实的服务成果{outcomes}项"
                f"（{change_phrase(outcomes, last.get('outcomes_verified', 0))}），"
                "按类型、企业行业和推荐单位的分布见附表。",
            )
        )
    return out
