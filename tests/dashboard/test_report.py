"""The annual programme report: the PDF really renders, the workbook has its sheets and the dashboard's
figures; only the working group and the commission may download it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.enums import Role
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_report_pdf_renders(known, verified_client):
    client = verified_client(UserFactory(roles=[Role.WORKING_GROUP]))
    response = client.get(reverse("dashboard:report", args=["pdf"]), {"year": known["year"]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    # digits survive text extraction whichever CJK font the machine has (fonts-noto-cjk in CI)
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    assert str(known["year"]) in text
    assert "452,000.00" in text  # the allowance's remaining budget, in the money chart
    words = "".join(text.split())
    assert f"关于{known['year']}年度昌平区“科技副总”工作情况的报告" in words and "草稿" in words
    assert "医药健康" in words or "主导产业" in words
    assert AuditEvent.objects.filter(action="dashboard.report").exists()


def test_report_xlsx_sheets_equal_the_dashboard(known, verified_client):
    client = verified_client(known["staff"])
    dashboard = client.get(reverse("dashboard:index"), {"year": known["year"]}).context["s"]
    response = client.get(reverse("dashboard:report", args=["xlsx"]), {"year": known["year"]})
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "主要指标", "年度新增", "专家", "企业", "项目", "资金", "评选奖励", "服务成果", "任职评价"
    ]
    # headed sheets: title, data date and unit, column headers; data from row 4; widths set
    assert wb["资金"]["A1"].value.endswith("预算执行情况") and wb["资金"]["A3"].value == "科目"
    assert wb["资金"].column_dimensions["B"].width == 18
    new = {r[0]: r[1] for r in wb["年度新增"].iter_rows(min_row=4, values_only=True)}
    assert new == {r.label: r.count for r in dashboard["year_new"]["rows"]}
    experts = {r[0]: r[1] for r in wb["专家"].iter_rows(min_row=4, values_only=True) if r[0]}
    for row in dashboard["experts_by_kind"]["rows"] + dashboard["experts_by_discipline"]["rows"]:
        assert experts[row.label] == row.count
    projects = {r[0]: r[1] for r in wb["项目"].iter_rows(min_row=4, values_only=True) if r[0]}
    for key in ("funnel", "projects_by_state", "projects_by_round", "appointments"):
        for row in dashboard[key]["rows"]:
            assert projects[row.label] == row.count
    industries = list(wb["企业"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in industries] == [
        (r.label, r.count) for r in dashboard["enterprises_by_industry"]["rows"]
    ]
    money = {r[0]: r[1:] for r in wb["资金"].iter_rows(min_row=4, values_only=True)}
    for m in dashboard["money"]["rows"]:
        assert [float(v) for v in money[m.label]] == [
            float(m.budget),
            float(m.committed),
            float(m.paid),
            float(m.remaining),
        ]


@pytest.mark.parametrize(
    ("role", "status"), [(Role.FINANCE, 403), (Role.TALENT_OFFICE, 403), (Role.COMMISSION, 200)]
)
def test_report_roles(known, verified_client, role, status):
    client = verified_client(UserFactory(roles=[role]))
    assert client.get(reverse("dashboard:report", args=["xlsx"])).status_code == status


def test_report_unknown_format_is_404(known, verified_client):
    client = verified_client(known["staff"])
    assert client.get(reverse("dashboard:report", args=["doc"])).status_code == 404
