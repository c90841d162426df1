"""Issuing official documents (SPEC §8): serial number, verification token and QR code, stored PDF.

    doc = document_issue(kind=DocumentKind.DISTRICT_LETTER, subject=appointment, title="科技副总聘书",
                         template_name="projects/pdf/district_letter.html", context={...}, by=user)
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from .audit import audit
from .http import site_url
from .models import DOCUMENT_SERIAL_CODES, DocumentKind, DocumentSerialCounter, IssuedDocument
from .pdf import render_pdf
from .qr import qr_data_uri, qr_svg

ISSUER_NAME = "北京市昌平区科学技术委员会"


def verification_url(token: str) -> str:
    return f"{site_url()}{reverse('core:document-verify', args=[token])}"


def _next_serial(kind: str, year: int) -> str:
    counter, _created = DocumentSerialCounter.objects.select_for_update().get_or_create(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
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
) -> IssuedDocument:
    """Issue (render, number and store) a document; returns the current one if already issued.

    With `reissue=True` the current document is marked superseded (its verification page says so) and a
    new one with a new serial is issued.
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
            serial=_next_serial(kind, timezone.localdate(now).year),
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
            {**context, "document": doc, "verification_url": url, "qr_data_uri": qr_data_uri(url),
             "qr_svg": qr_svg(url)},
        )
        doc.sha256 = hashlib.sha256(pdf).hexdigest()
        doc.file.save(f"{doc.serial}.pdf", ContentFile(pdf), save=False)
        doc.save()
        audit(by, "document.issue", doc, summary=f"{doc.serial} {doc.title}")
    return doc
