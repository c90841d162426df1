"""Every document the portal issues (issue 19 "done means"): a valid A4 PDF, fonts embedded, the expected
texts (pdftotext), no two words overlapping in the signature block (pdftotext -bbox), a valid PAdES
signature of the issuing authority, the act's date, one number.

With GUIDE_DOCUMENTS=1 the rendered pages are written to docs/guide/img/documents/ (pdftoppm, reduced to
256 colours) for docs/guide/documents.md."""

from __future__ import annotations

import io
import os
import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.signing import verify_pdf
from tests.pdf_fonts import embedded_fonts

pytestmark = pytest.mark.django_db

GUIDE_IMG = Path(__file__).resolve().parents[2] / "docs" / "guide" / "img" / "documents"


def pdftotext(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def words_with_boxes(pdf: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page: (word, xMin, yMin, xMax, yMax) from `pdftotext -bbox`."""
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out.stdout.decode("utf-8"), flags=re.S):
        pages.append(
            [
                (m[4], float(m[0]), float(m[1]), float(m[2]), float(m[3]))
                for m in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                    page,
                )
            ]
        )
    return pages


def overlaps(words) -> list[tuple[str, str]]:
    """Pairs of words whose boxes intersect (by more than a hair: glyph boxes of one line touch)."""
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            dx = min(a[3], b[3]) - max(a[1], b[1])
            dy = min(a[4], b[4]) - max(a[2], b[2])
            if dx > 1.0 and dy > 1.0:
                found.append((a[0], b[0]))
    return found


def check_document(doc, *, expected: list[str], signer_block: list[str], name: str) -> str:
    pdf = doc.open()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))  # a PDF a reader can open
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    fonts = embedded_fonts(pdf)
    assert fonts and all("CJK" in f for f in fonts), (
        fonts
    )  # every face embedded (subsets), no system fallback
    text = pdftotext(pdf)
    flat = "".join(text.split())
    for item in expected:
        assert "".join(item.split()) in flat, item
    assert flat.count(doc.serial) >= 1
    # the signature block: the issuers' names and dates, and nothing written over anything else
    pages = words_with_boxes(pdf)
    for page in pages:
        page_text = "".join(w[0] for w in page)
        if any(s in page_text for s in signer_block):
            assert not overlaps(page), overlaps(page)
    assert verify_pdf(pdf).ok
    if os.environ.get("GUIDE_DOCUMENTS"):
        render_pages(pdf, name)
    return flat


def render_pages(pdf: bytes, name: str, max_pages: int = 4) -> None:
    from PIL import Image

    GUIDE_IMG.mkdir(parents=True, exist_ok=True)
    for old in GUIDE_IMG.glob(f"{name}-*.png"):
        old.unlink()
    tmp = GUIDE_IMG / f".{name}"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-l", str(max_pages), "-", str(tmp)], input=pdf, check=True
    )
    for i, path in enumerate(sorted(GUIDE_IMG.glob(f".{name}-*.png")), 1):
        image = Image.open(path).convert("RGB").quantize(colors=64)
        image.save(GUIDE_IMG / f"{name}-{i}.png", optimize=True)
        path.unlink()


# --- the documents ----------------------------------------------------------------------------------


def test_district_and_enterprise_letters(media):
    from projects.letters import appointment_letters_issue
    from tests.factories import terms as tf

    appt = tf.appointment(start=date(2025, 3, 1))
    appointed = timezone.localtime(appt.created_at).date()
    later = timezone.now() + timedelta(days=40)
    import time_machine

    with time_machine.travel(later):  # printed weeks later: still dated the day of the appointment
        district, enterprise = appointment_letters_issue(appointment=appt, by=None)
    day = f"{appointed.year}年{appointed.month}月{appointed.day}日"
    check_document(
        district,
        name="district-letter",
        signer_block=["北京市昌平区科学技术委员会"],
        expected=["聘书", appt.expert.name, "北京市昌平区科学技术委员会", day, district.serial, "真伪核验"],
    )
    check_document(
        enterprise,
        name="enterprise-letter",
        signer_block=["（盖章）"],
        expected=["聘书", appt.expert.name, f"{appt.enterprise.name}（盖章）", day],
    )
    assert district.serial.startswith("KJFZ-PS-")


def test_service_certificate_and_evaluation_opinion(ended):
    from terms import services
    from terms.enums import Grade
    from tests.factories import projects as pf

    appt = ended
    staff = pf.commission()
    reviewers = [pf.reviewer() for _ in range(3)]
    evaluation = services.evaluation_create(appointment=appt, reviewers=reviewers, by=staff)
    services.evaluation_open(evaluation=evaluation, by=staff)
    for member in evaluation.members.select_related("reviewer__user"):
        services.panel_grade_submit(
            member=member, grade=Grade.GOOD, opinion="成效良好", by=member.reviewer.user
        )
    opinion = services.evaluation_finalise(
        evaluation=evaluation,
        grade=Grade.GOOD,
        override_reason="",
        by=staff,
        opinion="合作项目按计划完成，为企业解决了关键技术难题。\n建议推荐单位在职称评审中优先推荐。",
    )
    evaluation.refresh_from_db()
    day = evaluation.finalised_on
    flat = check_document(
        opinion,
        name="evaluation-opinion",
        signer_block=["北京市昌平区科学技术委员会"],
        expected=[
            "北京市昌平区科学技术委员会",
            opinion.serial,
            "任职评价意见",
            f"{appt.expert.institution.name}：",
            "一、基本情况",
            "二、评价等级",
            "良好",
            "建议推荐单位在职称评审中优先推荐。",
            f"{day.year}年{day.month}月{day.day}日",
            "—1—",
            "印发",
        ],
    )
    assert opinion.serial.startswith("昌科委评〔") and flat.count(opinion.serial) == 1  # one number
    certificate = services.service_certificate_issue(appointment=appt, by=staff)
    flat = check_document(
        certificate,
        name="service-certificate",
        signer_block=["北京市昌平区科学技术委员会"],
        expected=["任职证明", "担任“科技副总”，服务24个月", "良好", "特此证明"],
    )
    assert "（“科技副总”）" not in flat


def test_award_certificate(media):
    from awards import services
    from awards.models import Award
    from tests.factories import awards as af

    staff, cycle, _projects = af.published()
    award = Award.objects.filter(cycle=cycle).order_by("level").first()
    doc = services.certificate_issue(award=award, by=staff)
    day = cycle.published_on
    check_document(
        doc,
        name="award-certificate",
        signer_block=["北京市昌平区科学技术委员会"],
        expected=["获奖证书", award.expert.name, f"{day.year}年{day.month}月{day.day}日", "特发此证"],
    )


def test_payment_statement(media):
    from accounts.enums import Role
    from subsidies import services
    from tests.factories import projects as pf
    from tests.factories.accounts import UserFactory
    from tests.factories.subsidies import PaymentFactory

    staff = pf.commission()
    finance = UserFactory(roles=[Role.FINANCE], full_name="赵财政")
    batch = services.batch_create(title="2026年4月人才生活补贴", year=2026, by=staff)
    services.batch_add_payments(
        batch=batch,
        by=staff,
        payments=[
            PaymentFactory(
                amount=D("298000.00"), payee_name="北京天元生物科技有限公司", purpose="项目资金补贴"
            ),
            PaymentFactory(amount=D("2000.00"), payee_name="张明远", purpose="2026年3月人才生活补贴"),
        ],
    )
    services.batch_submit(batch=batch, by=staff)
    services.batch_approve(batch=batch, by=finance)
    batch.refresh_from_db()
    services.batch_mark_paid(
        batch=batch, paid_on=timezone.localdate(), bank_reference="ICBC-0001", by=finance
    )
    batch.refresh_from_db()
    doc = services.batch_statement(batch=batch, by=finance)
    today = timezone.localdate()
    flat = check_document(
        doc,
        name="payment-statement",
        signer_block=["审核："],
        expected=[
            batch.number,
            "北京市昌平区财政局：",
            "300,000.00",
            "叁拾万元整",
            "ICBC-0001",
            "附件：支付明细表（2笔）",
            "经办：",
            "审核：赵财政",
            "北京市昌平区财政局",
            f"{today.year}年{today.month}月{today.day}日",
            "—1—",
            "—2—",
            "支付明细表",
            "298,000.00",
        ],
    )
    assert doc.serial == batch.number and "KJFZ-ZF" not in flat  # one number, the batch's
    # the verification text is in the 版记 after the signatures, never under them
    for page in words_with_boxes(doc.open()):
        assert not overlaps(page)


def test_annual_report(media):
    from dashboard import services
    from dashboard.seed import NEXT_STEPS, PROBLEMS
    from tests.factories import projects as pf

    staff = pf.commission()
    draft = services.report_draft_create(year=2025, by=staff)
    services.report_draft_save(report_obj=draft, problems=PROBLEMS, next_steps=NEXT_STEPS, by=staff)
    report = services.report_issue(report_obj=draft, by=staff)
    check_document(
        report.document,
        name="annual-report",
        signer_block=["北京市昌平区科学技术委员会"],
        expected=[
            "区人才工作领导小组：",
            "一、总体情况",
            "表1",
            "图1",
            "二、主要成效",
            "（三）资金支付",
            "三、存在问题",
            "四、下一步工作",
            "会同区财政局优化资金拨付流程",
            "特此报告",
            "附件",
        ],
    )
