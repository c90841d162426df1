"""The results sheet of a review round, as .xlsx (openpyxl) and as PDF (core.pdf, WeasyPrint)."""

from __future__ import annotations

import io

from django.utils import timezone

from core.exports import safe_cell

from .models import ReviewRound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "排名",
    "项目名称",
    "申报企业",
    "专家",
    "各评审总分",
    "得分",
    "极差",
    "达到分数线",
    "立项决定",
    "决定理由",
]


def results_rows(round: ReviewRound) -> list[list]:
    from .services import round_results

    rows = []
    for row in round_results(round):
        project = row["project"]
        rows.append(
            [
                row["rank"] or "",
                project.title,
                project.enterprise.name,
                project.expert.name,
                "、".join(f"{t:g}" for t in row["totals"]),
                float(row["score"]) if row["score"] is not None else "",
                float(row["spread"]) if row["spread"] is not None else "",
                "是" if row["passed"] else "否",
                project.get_decision_display() if project.decision else "",
                project.decision_reason,
            ]
        )
    return rows


def results_xlsx(round: ReviewRound) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "评审结果"
    ws.append([safe_cell(f"{round.name} 评审结果（立项分数线 {round.pass_line:g} 分）")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in results_rows(round):
        ws.append([safe_cell(v) for v in row])  # titles and names come from users
    for column, width in zip("ABCDEFGHIJ", (6, 36, 30, 10, 24, 8, 8, 10, 10, 30), strict=True):
        ws.column_dimensions[column].width = width
    ws.append([])
    ws.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def results_pdf(round: ReviewRound) -> bytes:
    from core.pdf import render_pdf

    return render_pdf(
        "projects/pdf/results.html",
        {
            "round": round,
            "headers": HEADERS,
            "rows": results_rows(round),
            "exported_at": timezone.localtime(),
        },
    )
