"""Benchmark: render one appointment letter (科技副总聘书) with its QR code — target under 200 ms median.

    .venv/bin/python bench/bench_letters.py

The letter is rendered from unsaved model instances (no database needed): letter context, QR code (SVG
and PNG data URI) for the verification URL, WeasyPrint PDF with the embedded CJK font subset.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import emit, median_ms, setup  # noqa: E402

setup(migrate=False)

from core.models import DocumentKind, IssuedDocument  # noqa: E402
from core.pdf import qr_data_uri, qr_svg, render_pdf  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from experts.models import Expert, Institution  # noqa: E402
from projects.letters import DISTRICT_TEMPLATE, letter_context  # noqa: E402
from projects.models import Appointment, Project  # noqa: E402
from projects.policy import term_end  # noqa: E402


def build() -> Appointment:
    institution = Institution(name="中国石油大学（北京）")
    expert = Expert(name="张明远", institution=institution)
    enterprise = Enterprise(name="北京天源生物科技有限公司")
    project = Project(title="高通量抗体药物筛选平台合作开发", expert=expert, enterprise=enterprise,
                      approved_funding=Decimal("500000.00"))
    start = date(2027, 1, 1)
    return Appointment(project=project, expert=expert, enterprise=enterprise, position="vp", start_date=start,
                       months=24, end_date=term_end(start, 24))


def render_one(appointment: Appointment) -> bytes:
    url = "http://127.0.0.1:8000/verify/3oX1bq8-benchmark-token-abcdefghij/"
    doc = IssuedDocument(kind=DocumentKind.DISTRICT_LETTER, serial="KJFZ-PS-2027-000001", token="bench",
                         title="科技副总聘书", issuer_name="北京市昌平区科学技术委员会")
    from django.utils import timezone

    doc.issued_at = timezone.now()
    context = {**letter_context(appointment), "document": doc, "verification_url": url,
               "qr_data_uri": qr_data_uri(url), "qr_svg": qr_svg(url)}
    return render_pdf(DISTRICT_TEMPLATE, context)


if __name__ == "__main__":
    appointment = build()
    pdf = render_one(appointment)
    assert pdf.startswith(b"%PDF"), "not a PDF"
    emit("letter_pdf_ms", median_ms(lambda: render_one(appointment), repeat=15, warmup=2), "ms", target=200)
