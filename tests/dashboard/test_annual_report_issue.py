"""The annual report as an issued document (issue 19 item 3): a draft staff complete, issued once with a
文号, frozen (PDF, figures, workbook re-downloadable unchanged), a new version is a new issue; the
generated sentences carry the year-on-year change."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from core.models import DocumentKind
from core.signing import verify_pdf
from dashboard import policy, services
from dashboard.enums import ReportState
from dashboard.models import AnnualReport
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@pytest.mark.parametrize(
    ("current", "previous", "phrase"),
    [
        (5, 4, "同比增长25.0%"),
        (3, 4, "同比下降25.0%"),
        (4, 4, "与上年持平"),
        (0, 0, "与上年持平"),
        (2, 0, "上年为零"),
        (Decimal("1500.00"), Decimal("1000.00"), "同比增长50.0%"),
        (1, 3, "同比下降66.7%"),
    ],
)
def test_change_phrase(current, previous, phrase):
    assert policy.change_phrase(current, previous) == phrase


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("6000000"), "6,000,000.00"), ("300000", "300,000.00"), (0, "0.00"), ("1234.565", "1,234.57")],
)
def test_yuan(value, text):
    assert policy.yuan(value) == text


def _figures(**this):
    base = {
        "experts_admitted": 0,
        "enterprises_verified": 0,
        "appointments_started": 0,
        "demands": 0,
        "intents_accepted": 0,
        "projects_submitted": 0,
        "projects_completed": 0,
        "paid": {},
        "awards_count": 0,
        "awards_amount": "0",
        "grades": [],
    }
    return {
        "year": 2026,
        "as_of_text": "2026年12月31日",
        "stock": {"experts_in_pool": 40, "appointments_active": 9},
        "this": {**base, **this},
        "last": {**base, "experts_admitted": 8, "appointments_started": 4},
        "money": [{"category": "subsidy", "label": "项目资金补贴"}],
    }


def test_overview_sentences_from_the_figures():
    f = _figures(experts_admitted=10, appointments_started=4, paid={"subsidy": "300000.00"})
    overview = policy.overview_paragraphs(f)
    assert overview[0].startswith("2026年，全区“科技副总”工作新入库专家10人（同比增长25.0%）")
    assert "新聘任“科技副总”4人（与上年持平）" in overview[0]
    assert overview[2] == "截至2026年12月31日，专家库在库专家40人，在聘“科技副总”9人。"
    achievements = dict(policy.achievement_paragraphs(f))
    assert (
        (achievements["（三）资金支付"])
        == "全年支付“科技副总”资金300,000.00元（上年为零），其中项目资金补贴300,000.00元。"
    )
    assert achievements["（五）任职评价"] == "全年尚无完成任职评价的“科技副总”。"


def _issue(year, staff, problems="一是问题。", next_steps="一是措施。"):
    draft = services.report_draft_create(year=year, by=staff)
    services.report_draft_save(report_obj=draft, problems=problems, next_steps=next_steps, by=staff)
    return services.report_issue(report_obj=draft, by=staff)


def test_issue_freezes_pdf_figures_and_workbook(media, staff):
    issued = _issue(2025, staff, problems="一是需求描述不具体。\n二是补贴拨付偏慢。")
    assert issued.state == ReportState.ISSUED and issued.version == 1
    doc = issued.document
    assert doc.kind == DocumentKind.ANNUAL_REPORT and doc.serial == "昌科委报〔2026〕1号".replace(
        "2026", str(doc.issued_at.year)
    )
    pdf = doc.open()
    assert verify_pdf(pdf).ok
    text = "".join(_text(pdf).split())
    for expected in (
        "北京市昌平区科学技术委员会",
        doc.serial,
        "关于2025年度昌平区“科技副总”",
        "区人才工作领导小组：",
        "一、总体情况",
        "二、主要成效",
        "三、存在问题",
        "二是补贴拨付偏慢。",
        "四、下一步工作",
        "表1",
        "图1",
        "附件：2025年度“科技副总”工作数据表",
        "—1—",
        "同比",
    ):
        assert expected in text, expected
    assert issued.figures["year"] == 2025 and "this" in issued.figures and "last" in issued.figures
    wb = load_workbook(io.BytesIO(issued.xlsx.open("rb").read()))
    assert wb.sheetnames[0] == "主要指标"
    ws = wb["资金"]
    assert ws["A1"].value == "2025年度预算执行情况" and ws["A3"].value == "科目"
    assert ws.column_dimensions["A"].width == 28 and ws["B4"].number_format == "#,##0.00"


def test_an_issued_report_is_downloaded_unchanged(media, staff, verified_client):
    issued = _issue(2025, staff)
    stored = issued.document.open()
    client = verified_client(staff)
    first = client.get(reverse("dashboard:report-download", args=[issued.pk, "pdf"]))
    assert first.status_code == 200 and first.content == stored
    assert client.get(reverse("dashboard:report-download", args=[issued.pk, "xlsx"])).status_code == 200
    # an issued report refuses changes, in the service and on the page
    with pytest.raises(services.ReportError):
        services.report_draft_save(report_obj=issued, problems="x", next_steps="y", by=staff)
    response = client.post(
        reverse("dashboard:report-edit", args=[issued.pk]), {"problems": "x", "next_steps": "y"}
    )
    assert response.status_code == 400
    issued.refresh_from_db()
    assert issued.problems == "一是问题。"
    wg = verified_client(UserFactory(roles=[Role.WORKING_GROUP]))
    assert wg.get(reverse("dashboard:report-download", args=[issued.pk, "pdf"])).content == stored


def test_a_new_version_is_a_new_issue(media, staff):
    first = _issue(2025, staff)
    second = _issue(2025, staff, problems="修订后的问题。")
    first.refresh_from_db()
    first.document.refresh_from_db()
    assert second.version == 2 and second.document.serial != first.document.serial
    assert first.document.superseded_at is not None and second.document.superseded_at is None
    assert "修订后的问题。" in "".join(_text(second.document.open()).split())


def test_issuing_needs_problems_and_next_steps_with_a_message(media, staff, verified_client):
    draft = services.report_draft_create(year=2025, by=staff)
    client = verified_client(staff)
    response = client.post(
        reverse("dashboard:report-edit", args=[draft.pk]),
        {"problems": "只有问题", "next_steps": "", "issue": "1"},
    )
    assert response.status_code == 400
    assert "请先填写" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ReportState.DRAFT and draft.problems == "只有问题"  # nothing lost


def test_draft_page_preview_and_issue_through_the_pages(media, staff, verified_client):
    client = verified_client(staff)
    response = client.post(reverse("dashboard:report-create"), {"year": "2025"})
    draft = AnnualReport.objects.get(year=2025)
    assert response.status_code == 302 and response["Location"] == reverse(
        "dashboard:report-edit", args=[draft.pk]
    )
    page = client.get(reverse("dashboard:report-edit", args=[draft.pk]))
    assert page.status_code == 200 and "存在问题" in page.content.decode()
    preview = client.get(reverse("dashboard:report-preview", args=[draft.pk]))
    assert preview.status_code == 200 and "草稿" in "".join(_text(preview.content).split())
    response = client.post(
        reverse("dashboard:report-edit", args=[draft.pk]),
        {"problems": "一是问题。", "next_steps": "一是措施。", "issue": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == ReportState.ISSUED
    listing = client.get(reverse("dashboard:report-list")).content.decode()
    assert draft.document.serial in listing
    assert client.post(reverse("dashboard:report-create"), {"year": "abc"}).status_code == 302


def test_the_database_refuses_an_issued_report_without_its_frozen_document(staff):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dashboard_annualreport (year, version, state, addressee, problems, next_steps, "
            "created_by_id, created_at, updated_at, xlsx) "
            "VALUES (2025, 1, 'issued', '', '', '', %s, now(), now(), '')",
            [staff.pk],
        )
