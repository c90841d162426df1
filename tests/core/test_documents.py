import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.documents import document_current, document_issue
from core.models import DocumentKind, IssuedDocument
from tests.factories.accounts import UserFactory
from tests.pdf_fonts import embedded_fonts

pytestmark = pytest.mark.django_db


def _issue(subject, **kwargs):
    return document_issue(
        kind=DocumentKind.SERVICE_CERTIFICATE, subject=subject, title="任职证明",
        template_name="core/pdf/base.html", context={}, by=None, **kwargs,
    )


def test_issued_pdf_is_a4_with_serial_qr_and_embedded_cjk_font(media):
    doc = _issue(UserFactory())
    pdf = doc.open()
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    text = reader.pages[0].extract_text()
    assert doc.serial in text
    assert "真伪核验" in text
    names = embedded_fonts(pdf)
    assert any("NotoSerifCJK" in name or "NotoSansCJK" in name for name in names), names
    assert doc.serial.startswith("KJFZ-ZM-") and doc.serial.endswith("-000001")


def test_issuing_twice_returns_the_same_document(media):
    subject = UserFactory()
    first = _issue(subject)
    assert _issue(subject).pk == first.pk
    assert IssuedDocument.objects.count() == 1


def test_reissue_supersedes_and_numbers_on(media, client):
    subject = UserFactory()
    first = _issue(subject)
    second = _issue(subject, reissue=True)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert document_current(kind=DocumentKind.SERVICE_CERTIFICATE, subject=subject) == second
    assert second.serial.endswith("-000002")
    page = client.get(reverse("core:document-verify", args=[first.token]))
    assert "已于" in page.content.decode() and "作废" in page.content.decode()


def test_verification_page_confirms_serial_without_personal_data(media, client):
    subject = UserFactory(full_name="欧阳晓明")
    doc = _issue(subject)
    page = client.get(reverse("core:document-verify", args=[doc.token]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "核验通过" in body and doc.serial in body
    assert "欧阳晓明" not in body


def test_forged_token_is_not_confirmed(media, client):
    _issue(UserFactory())
    page = client.get(reverse("core:document-verify", args=["forged-token-123"]))
    assert page.status_code == 404
    assert "核验未通过" in page.content.decode()


def test_stored_hash_matches_file(media):
    import hashlib

    doc = _issue(UserFactory())
    assert hashlib.sha256(doc.open()).hexdigest() == doc.sha256
