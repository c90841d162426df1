from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.crypto import blind_index, decrypt, encrypt
from core.uploads import DocumentValidator, sniff_kind, validate_document


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (DOCX, "docx"),
        (_xlsx(), "xlsx"),
        (_zip({"hello.txt": b"hi"}), None),  # a plain ZIP is no Office document
        (b"MZ\x90\x00", None),
        (b"<html>", None),
        (b"", None),
    ],
)
def test_sniff_kind(data, kind):
    assert sniff_kind(data[:16], io.BytesIO(data)) == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"", "上传的文件是空的"),
        ("a.pdf", b"GIF89a....", "文件内容不是允许的类型"),
        ("a.pdf", b"\x89PNG\r\n\x1a\n....", "与文件内容（PNG）不符"),
        ("a.docx", b"%PDF-1.4 ....", "与文件内容（PDF）不符"),
    ],
)
def test_validate_document_refuses(name, data, message):
    with pytest.raises(ValidationError, match=message):
        validate_document(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", b"%PDF-1.4 x"),
        ("a.jpeg", b"\xff\xd8\xff\xe0x"),
        ("a.docx", DOCX),
        ("无扩展名", b"%PDF-1.4 x"),
    ],
)
def test_validate_document_accepts(name, data):
    validate_document(SimpleUploadedFile(name, data))


def test_validate_document_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="文件过大"):
        validate_document(SimpleUploadedFile("a.pdf", b"%PDF-1.4 0123456789"))


def test_validator_with_restricted_kinds():
    with pytest.raises(ValidationError, match="只接受 Excel（XLSX）"):
        DocumentValidator(("xlsx",))(SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))


def test_encrypt_round_trip_and_blind_index():
    token = encrypt("11010519491231002X")
    assert "11010519491231002X" not in token
    assert decrypt(token) == "11010519491231002X"
    assert encrypt("11010519491231002X") != token  # randomised
    assert blind_index("11010519491231002x", purpose="id") == blind_index(" 11010519491231002X", purpose="id")
    assert blind_index("a", purpose="id") != blind_index("a", purpose="bank")


def test_decrypt_with_other_key_fails(settings):
    token = encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = ["Jz0bVyPoD8B1j9zMBqSDeO5vJmVd0ffZ5r8m6FMk2_Y="]
    with pytest.raises(ValueError, match="无法解密"):
        decrypt(token)
