"""Issuing official documents (SPEC §8): serial number, verification token and QR code, stored PDF.

    doc = document_issue(kind=DocumentKind.DISTRICT_LETTER, subject=appointment, title="科技副总聘书",
                         template_name="projects/pdf/district_letter.html", context={...}, by=user)
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from .audit import audit
from .http import site_url
from .models import DOCUMENT_SERIAL_CODES, DocumentKind, DocumentSerialCounter, IssuedDocument
from .pdf import render_pdf
from .qr import qr_data_uri
from .signing import sign_pdf

ISSUER_NAME = "北京市昌平区科学技术委员会"

# Official documents (GB/T 9704-2012) carry a 发文字号 — 机关代字〔年份〕序号 — as their one number;
# letters and certificates the portal's serial KJFZ-<code>-<year>-<nnnnnn>.
OFFICIAL_NUMBER_FORMATS = {
    DocumentKind.EVALUATION_OPINION: "昌科委评〔{year}〕{n}号",
    DocumentKind.ANNUAL_REPORT: "昌科委报〔{year}〕{n}号",
}


PRINTED_BY = "北京市昌平区科学技术委员会办公室"  # 版记: 印发机关


def cn_date(value) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros — 2026年3月5日."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def seal(name: str, date, role: str = "") -> dict:
    """One issuer's seal area in a document's signature block: name, the act's date, an optional role line
    (经办/审核 and the person)."""
    return {"name": name, "date": cn_date(date), "role": role}


def official_context(*, mark_lines, addressee: str = "", seals, attachment_titles=(), printed_on=None,
                     copy_to: str = "") -> dict:
    """What core/pdf/official.html needs besides the document: 发文机关标志 lines, 主送, the seals, the
    附件说明 and the 版记 (印发机关, 印发日期 = the date of the last seal unless given)."""
    mark_lines = list(mark_lines)
    return {
        "mark_lines": mark_lines,
        "mark_long": len(mark_lines) > 1 or any(len(line) > 12 for line in mark_lines),
        "addressee": addressee,
        "seals": list(seals),
        "attachment_titles": list(attachment_titles),
        "printed_by": PRINTED_BY,
        "printed_on": printed_on if isinstance(printed_on, str) else cn_date(printed_on)
        if printed_on else (seals[-1]["date"] if seals else ""),
        "copy_to": copy_to,
    }


def verification_url(token: str) -> str:
    return f"{site_url()}{reverse('core:document-verify', args=[token])}"


def _next_serial(kind: str, year: int) -> str:
    counter, _created = DocumentSerialCounter.objects.select_for_update().get_or_create(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    official = OFFICIAL_NUMBER_FORMATS.get(DocumentKind(kind))
    if official:
        return official.format(year=year, n=counter.last)
    return f"KJFZ-{DOCUMENT_SERIAL_CODES[DocumentKind(kind)]}-{year}-{counter.last:06d}"


def document_current(*, kind: str, subject: models.Model) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        kind=kind, subject_type=subject._meta.label_lower, subject_id=str(subject.pk),
        superseded_at__isnull=True,
    ).first()


def document_issue(
    *,
    kind: str,
    subject: models.Model,
    title: str,
    template_name: str,
    context: dict,
    by,
    issuer_name: str = ISSUER_NAME,
    reissue: bool = False,
    serial: str | None = None,
    pdf_hook=None,
) -> IssuedDocument:
    """Issue (render, number, sign and store) a document; returns the current one if already issued.

    With `reissue=True` the current document is marked superseded (its verification page says so) and a
    new one with a new serial is issued. `serial`: the number of the record the document documents (a
    payment batch's number), used instead of a drawn serial so the document has one number. Every PDF is
    signed (core.signing) by the issuing authority before it is hashed and stored. `pdf_hook(doc, pdf)` is
    called with the signed bytes inside the transaction (the annual report keeps its data with it).
    """
    kind = DocumentKind(kind)
    with transaction.atomic():
        existing = (
            IssuedDocument.objects.select_for_update()
            .filter(kind=kind, subject_type=subject._meta.label_lower, subject_id=str(subject.pk),
                    superseded_at__isnull=True)
            .first()
        )
        if existing and not reissue:
            return existing
        now = timezone.now()
        if existing:
            existing.superseded_at = now
            existing.save(update_fields=["superseded_at"])
        doc = IssuedDocument(
            kind=kind,
            serial=serial or _next_serial(kind, timezone.localdate(now).year),
            token=secrets.token_urlsafe(24),
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            title=str(title),
            issued_at=now,
            issued_by=by if getattr(by, "pk", None) else None,
            issuer_name=issuer_name,
        )
        url = verification_url(doc.token)
        pdf = render_pdf(
            template_name,
            # the QR code once, as a data URI (no PDF template inlines the SVG; each costs ~9 ms)
            {**context, "document": doc, "verification_url": url, "qr_data_uri": qr_data_uri(url)},
        )
        pdf = sign_pdf(pdf, reason=f"{doc.serial} {doc.title}"[:200])
        doc.sha256 = hashlib.sha256(pdf).hexdigest()
        doc.file.save(f"{doc.serial}.pdf", ContentFile(pdf), save=False)
        doc.save()
        if pdf_hook is not None:
            pdf_hook(doc, pdf)
        audit(by, "document.issue", doc, summary=f"{doc.serial} {doc.title}")
    return doc


def document_response(doc: IssuedDocument, *, private: bool = False) -> HttpResponse:
    """The issued PDF shown in the browser (inline, named by its serial); `private`: not cached anywhere."""
    response = HttpResponse(doc.open(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.serial}.pdf"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
