"""Item 11 — personal numbers (ID number, phone, bank account) never appear unmasked in the audit log, in
the logs, or in error pages (PIPL art. 51; 等保 2.0 8.1.4.11 b; ASVS 7.1.1, 8.3.5). An expert is entered
with all three, the flows that touch them run (nomination, admission, reveal, export, bank account,
an error), then every audit row, every log line and the 500 page are scanned for the plaintext."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from core.logging import PersonalNumberFilter, mask_personal_numbers
from core.models import AuditEvent
from experts import services as expert_services
from experts.models import Nomination
from subsidies import services as money_services
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import PDF, InstitutionFactory, id_number, nominator

pytestmark = pytest.mark.django_db

ID_NUMBER = id_number(777)
PHONE = "13911112222"
BANK = "6222020200118877665"
PLAINTEXT = (ID_NUMBER, PHONE, BANK)


@pytest.fixture
def console():
    """The configured console handler (settings.LOGGING), writing into a buffer for the test."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, PersonalNumberFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    yield buffer
    logging.getLogger().setLevel(level)
    handler.setStream(old)


def test_mask_personal_numbers_in_text():
    text = f"身份证 {ID_NUMBER}，手机 {PHONE}，账户 {BANK}，编号 ZF-2026-0001，金额 300000.00"
    masked = mask_personal_numbers(text)
    assert not any(p in masked for p in PLAINTEXT)
    assert "138" not in masked and "ZF-2026-0001" in masked and "300000.00" in masked
    assert f"{ID_NUMBER[:3]}***********{ID_NUMBER[-4:]}" in masked and "139****2222" in masked


def test_every_log_handler_masks_personal_numbers(settings):
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_numbers" in handler.get("filters", []), name


def test_personal_numbers_stay_out_of_audit_logs_and_error_pages(client, console, settings, monkeypatch):
    member, staff = nominator(InstitutionFactory()), UserFactory(roles=[Role.COMMISSION])
    from tests.experts.test_views import form_post

    # The nominating institution enters the expert (ID number, phone).
    otp_login(client, member)
    letter = SimpleUploadedFile("推荐函.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("experts:nomination-create"),
        form_post(id_number=ID_NUMBER, phone=PHONE, recommendation_letter=letter),
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    # A second entry of the same person is refused (the message names the number masked).
    client.post(reverse("experts:nomination-create"), form_post(id_number=ID_NUMBER, phone=PHONE))
    expert_services.nomination_submit(nomination=nomination, by=member)
    expert_services.nomination_admit(nomination=nomination, by=staff, invite=False)
    expert = nomination.expert
    # Staff reveal the ID number (allowed, audited) and export the pool.
    otp_login(client, staff)
    revealed = client.post(reverse("experts:expert-id-number", args=[expert.pk]))
    assert ID_NUMBER in revealed.content.decode()  # the reveal itself shows it, to this user only
    assert client.get(reverse("experts:expert-export")).status_code == 200
    body = client.get(reverse("experts:expert-detail", args=[expert.pk])).content.decode()
    assert ID_NUMBER not in body and PHONE not in body
    # Finance data: the expert's bank account.
    money_services.bank_account_save(
        payee_kind="expert",
        expert=expert,
        holder_name=expert.name,
        bank_name="中国工商银行北京昌平支行",
        account_number=BANK,
        by=staff,
    )
    # An unexpected error while the numbers are in the request: a 500 without details, a masked log.
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError(f"数据库写入失败：{ID_NUMBER} {PHONE} {BANK}")

    monkeypatch.setattr(expert_services, "nomination_create", broken)
    otp_login(client, member)
    client.raise_request_exception = False
    error = client.post(
        reverse("experts:nomination-create"), form_post(id_number=id_number(778), phone=PHONE)
    )
    assert error.status_code == 500
    page = error.content.decode()

    audit_text = json.dumps(
        list(AuditEvent.objects.values("summary", "data", "target_id", "action")), ensure_ascii=False
    )
    logged = console.getvalue()
    assert "Internal Server Error" in logged and "RuntimeError" in logged  # the error was logged …
    for plaintext in PLAINTEXT:
        assert plaintext not in audit_text, f"audit log holds {plaintext}"
        assert plaintext not in logged, f"log holds {plaintext}"
        assert plaintext not in page, f"error page holds {plaintext}"
    assert f"{ID_NUMBER[:3]}***********{ID_NUMBER[-4:]}" in logged  # … masked
    assert AuditEvent.objects.filter(action="expert.id_number_view").exists()
