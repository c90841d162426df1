"""Issue 18 item 3 — spreadsheet bombs. The import checks the workbook's uncompressed sizes and its used
range before the parser runs (core.spreadsheets.workbook_guard), so a small upload that expands to
hundreds of MB, or names a cell at XFD1048576, is refused with a message and bounded memory."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.exceptions import ImportFileError
from experts.imports import HEADERS, import_parse
from experts.models import Expert
from tests.factories.accounts import otp_login
from tests.factories.experts import InstitutionFactory, nominator

from .test_imports import XLSX, row, workbook

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def bomb(sheet_rows) -> io.BytesIO:
    """An .xlsx whose sheet is written row by row (an iterable of XML strings), deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for xml in sheet_rows:
                sheet.write(xml.encode())
            sheet.write(b"</sheetData></worksheet>")
    buffer.seek(0)
    return buffer


def _header_row() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADERS)
    )
    return f'<row r="1">{cells}</row>'


def expanding_bomb(megabytes: int) -> io.BytesIO:
    """A sheet of `megabytes` MB of text, all in the first rows (so the range stays small)."""
    filler = "专" * 20_000  # 60 KB of UTF-8 per cell
    per_row = 15 * len(filler.encode())
    n_rows = megabytes * 1024 * 1024 // per_row + 1
    rows = (
        f'<row r="{r}">' + "".join(f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{filler}</t></is></c>'
                                   for i in range(15)) + "</row>"
        for r in range(2, n_rows + 2)
    )
    return bomb([_header_row(), *rows])


def range_bomb() -> io.BytesIO:
    """A few hundred bytes: one cell in A1 and one in XFD1048576 — a dense parser allocates the box."""
    return bomb([_header_row(), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])


@pytest.fixture
def institution():
    return nominator(InstitutionFactory(name="炸弹大学")).institution_membership.institution


def assert_refused_cheaply(data, institution, message: str) -> None:
    """Parsing the upload is refused with `message`, under 8 MB of peak Python memory and 5 seconds."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ImportFileError, match=message):
            import_parse(data, institution)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    seconds = time.perf_counter() - start
    assert peak < 8 * 1024 * 1024, f"peak Python memory {peak / 1e6:.1f} MB"
    assert seconds < 5


def test_a_workbook_expanding_to_hundreds_of_mb_is_refused_before_parsing(institution):
    data = expanding_bomb(300)
    assert len(data.getvalue()) < 2 * 1024 * 1024  # small upload
    declared = sum(i.file_size for i in zipfile.ZipFile(data).infolist())
    assert declared > 300 * 1024 * 1024
    assert_refused_cheaply(data, institution, "解压后超过 64 MB")


def test_a_huge_used_range_is_refused_before_the_parser_allocates_it(institution):
    data = range_bomb()
    assert len(data.getvalue()) < 2000
    assert_refused_cheaply(data, institution, "表格范围过大")


def test_a_bomb_uploaded_through_the_page_gets_a_message_and_imports_nothing(client, institution):
    member = institution.members.first().user
    otp_login(client, member)
    response = client.post(
        reverse("experts:nomination-import"),
        {"file": SimpleUploadedFile("推荐.xlsx", range_bomb().getvalue(), content_type=XLSX),
         "personal_data_consent": "on"},
    )
    assert response.status_code == 200
    assert "表格范围过大" in response.content.decode()
    assert not Expert.objects.filter(institution=institution).exists()


def test_an_ordinary_workbook_passes_the_guard(institution):
    report = import_parse(workbook([row(i) for i in range(20)]), institution)
    assert len(report.rows) == 20
