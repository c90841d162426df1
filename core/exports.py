"""Spreadsheet exports: cells that a spreadsheet would run as a formula are written as text."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` made safe for a spreadsheet cell (CSV/formula injection, OWASP): a string starting
    with = + - @ tab or CR gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_bytes(title: str, header: list[str], rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([str(h) for h in header])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
