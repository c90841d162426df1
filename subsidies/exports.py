"""The bank export of a payment batch (.xlsx, SPEC §5): payee, bank, account, amount, amount in capitals,
purpose. The only place where bank account numbers leave the database decrypted."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.exports import safe_cell
from core.money import to_chinese_capital

from .models import PaymentBatch
from .selectors import batch_payments, batch_totals

HEADERS = ("序号", "收款方", "开户银行", "银行账号", "金额（元）", "金额大写", "用途")


def batch_bank_export(batch: PaymentBatch) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = batch.number
    title = _("支付批次：%(number)s %(title)s") % {"number": batch.number, "title": batch.title}
    ws.append([safe_cell(title)])
    ws.append([_(h) for h in HEADERS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, p in enumerate(batch_payments(batch), start=1):
        acct = p.bank_account
        ws.append(
            [
                i,
                # Names and purposes come from users: formula cells escaped (core.exports.safe_cell).
                safe_cell(acct.holder_name if acct else p.payee_name),
                safe_cell(acct.bank_name if acct else ""),
                safe_cell(acct.account_number if acct else ""),
                p.amount,
                to_chinese_capital(p.amount),
                safe_cell(p.purpose),
            ]
        )
        row = ws.max_row
        ws.cell(row=row, column=4).number_format = "@"  # account numbers as text, never 6.2E+18
        ws.cell(row=row, column=5).number_format = "#,##0.00"
    count, total = batch_totals(batch)
    ws.append(["", _("合计 %(n)s 笔") % {"n": count}, "", "", total, to_chinese_capital(total), ""])
    ws.cell(row=ws.max_row, column=5).number_format = "#,##0.00"
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFG", (6, 24, 28, 26, 16, 34, 30), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"].alignment = Alignment(horizontal="left")
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
