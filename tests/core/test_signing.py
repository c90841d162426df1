"""Issued PDFs carry a PAdES signature of the issuing authority (issue 19 item 4), verifiable against the
portal's trust root — on the public upload page and offline in any reader."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from core.documents import document_issue
from core.models import DocumentKind
from core.signing import demo_pki_create, sign_pdf, verify_pdf
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(media):
    return document_issue(
        kind=DocumentKind.DISTRICT_LETTER, subject=UserFactory(), title="科技副总聘书",
        template_name="core/pdf/base.html", context={}, by=None,
    )


def test_an_issued_letter_is_signed_and_verifies(letter):
    pdf = letter.open()
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    assert signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    result = verify_pdf(pdf)
    assert result.ok, result.problems
    assert result.signer == "北京市昌平区科学技术委员会"


def test_one_byte_changed_fails(letter):
    pdf = bytearray(letter.open())
    start = pdf.index(b"stream") + 200  # inside the first content stream, covered by the signature
    pdf[start] ^= 0x01
    result = verify_pdf(bytes(pdf))
    assert result.signed and not result.intact and not result.ok


def test_appended_bytes_fail(letter):
    result = verify_pdf(letter.open() + b"\n% appended after signing\n")
    assert result.intact and not result.whole_file and not result.ok


def test_a_document_signed_by_another_key_fails(letter, tmp_path):
    other_p12, _ca = demo_pki_create(
        tmp_path / "forger", passphrase="x", signer_name="北京市昌平区科学技术委员会"
    )
    unsigned = letter.open()[: letter.open().index(b"%%EOF") + 5]  # the original revision, unsigned
    forged = sign_pdf(unsigned, p12_path=str(other_p12), passphrase="x")
    result = verify_pdf(forged)
    assert result.signed and result.intact and not result.trusted and not result.ok


def test_an_unsigned_pdf_is_reported(letter):
    unsigned = letter.open()[: letter.open().index(b"%%EOF") + 5]
    result = verify_pdf(unsigned)
    assert not result.signed and not result.ok


def test_missing_key_file_is_a_clear_configuration_error(settings, media):
    from django.core.exceptions import ImproperlyConfigured

    settings.DOCUMENT_SIGNING_P12 = str(Path(media) / "missing.p12")
    with pytest.raises(ImproperlyConfigured, match="DOCUMENT_SIGNING_P12"):
        sign_pdf(b"%PDF-1.7")


def _upload(client, data: bytes, name="letter.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("core:document-verify-upload"),
                       {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_verification_page_accepts_the_issued_pdf(client, letter):
    response = _upload(client, letter.open())
    assert response.status_code == 200
    body = response.content.decode()
    assert "核验通过" in body and letter.serial in body
    assert "未改动" in body


def test_verification_page_rejects_a_changed_pdf(client, letter):
    pdf = bytearray(letter.open())
    pdf[pdf.index(b"stream") + 200] ^= 0x01
    body = _upload(client, bytes(pdf)).content.decode()
    assert "核验未通过" in body and letter.serial not in body


def test_verification_page_rejects_a_non_pdf_with_a_message(client):
    response = _upload(client, b"hello", name="x.pdf")
    assert response.status_code == 400
    assert "不是 PDF" in response.content.decode()
    response = client.post(reverse("core:document-verify-upload"), {})
    assert response.status_code == 400


def test_token_page_links_to_the_upload_check(client, letter):
    body = client.get(reverse("core:document-verify", args=[letter.token])).content.decode()
    assert reverse("core:document-verify-upload") in body
