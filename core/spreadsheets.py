"""Uploaded workbooks checked before any parser sees them (issue 18 item 3: spreadsheet bombs).

An .xlsx is a ZIP of XML. A 1.9 MB upload whose sheet expands to ~570 MB took a worker from 285 MB to
1.2 GB: the parser (python-calamine) builds the whole sheet in memory before the import could count rows,
and it allocates the sheet's bounding box densely, so a file of a few hundred bytes with one cell in A1
and one in XFD1048576 asks for billions of cells. `workbook_guard` therefore, with bounded memory (1 MB
chunks, nothing kept):

1. refuses more than `max_members` members, or declared uncompressed sizes above `max_bytes` in total;
2. decompresses every member as a stream and refuses as soon as the real total passes `max_bytes`
   (declared sizes can lie);
3. scans each worksheet's cell and row references and refuses a sheet whose used range is taller than
   `max_rows` or wider than `max_cols`.

Only then is the parser called; the import then reads rows up to its own cap (experts.imports.MAX_ROWS).
"""

from __future__ import annotations

import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
_REF = re.compile(rb'<(?:c|row)\b[^>]*?\sr="([A-Z]{0,3})([0-9]{1,8})"')


class WorkbookRefused(ValueError):
    """The workbook is too large to open; str() is the user's message."""


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def workbook_guard(fileobj, *, max_bytes: int | None = None, max_rows: int, max_cols: int,
                   max_members: int = 200) -> None:
    """Raise WorkbookRefused when the .xlsx in `fileobj` would expand beyond the limits; rewinds it."""
    limit = max_bytes or settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    too_big = WorkbookRefused(
        _("文件解压后超过 %(mb)d MB，超出导入上限：请删除多余的内容或拆分为多个文件后再导入。")
        % {"mb": limit // (1024 * 1024)}
    )
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            if len(members) > max_members or sum(m.file_size for m in members) > limit:
                raise too_big
            total = 0
            for member in members:
                is_sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
                tail = b""
                max_row = max_col = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_big
                        if not is_sheet:
                            continue
                        text = tail + chunk
                        for letters, digits in _REF.findall(text):
                            max_row = max(max_row, int(digits))
                            if letters:
                                max_col = max(max_col, _column_number(letters))
                        if max_row > max_rows or max_col > max_cols:
                            raise WorkbookRefused(
                                _("表格范围过大（超过 %(rows)d 行或 %(cols)d 列）：请删除多余的行和列，"
                                  "或拆分为多个文件后再导入。") % {"rows": max_rows, "cols": max_cols}
                            )
                        tail = text[-256:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise WorkbookRefused(_("无法读取该文件：请上传用平台模板填写的 Excel（.xlsx）文件。")) from exc
    finally:
        fileobj.seek(0)
