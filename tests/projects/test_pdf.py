"""Appointment letters: really rendered (A4, CJK glyphs from an embedded Noto CJK font, serial, QR), the
public verification page, the round's letters task with progress, and access to the downloads."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import DocumentKind, IssuedDocument
from projects import services
from projects.letters import appointment_letters, appointment_letters_issue
from projects.models import Project
from projects.tasks import round_letters_task
from tests.factories import projects as f
from tests.factories.accounts import otp_login
from tests.pdf_fonts import embedded_fonts
from tests.projects.review_steps import approved_project

pytestmark = pytest.mark.django_db


def _agreement_signed():
    """A project taken through the real workflow (no notice) up to the signed agreement."""
    _round, project, staff = approved_project(exp=f.expert(name="欧阳明远"), title="抗体偶联药物工艺开发")
    services.filing_record(
        projects=[Project.objects.get(pk=project.pk)],
        by=f.talent_office(),
        number="备1",
        filed_on=timezone.localdate(),
    )
    project.refresh_from_db()
    services.agreement_upload(project=project, by=staff, file=f.plan_file(), signed_on=timezone.localdate())
    project.refresh_from_db()
    return project, staff


def _appointment(start=date(2027, 1, 1)):
    project, staff = _agreement_signed()
    appointment = services.appointment_create(
        project=project, by=staff, start_date=start, issue_letters=False
    )
    return appointment, staff


def test_letters_render_with_cjk_font_serial_and_wording(media):
    appointment, staff = _appointment()
    district, enterprise = appointment_letters_issue(appointment=appointment, by=staff)
    assert district.kind == DocumentKind.DISTRICT_LETTER
    assert enterprise.kind == DocumentKind.ENTERPRISE_LETTER
    assert district.serial.startswith("KJFZ-") and district.serial != enterprise.serial
    pdf = district.open()
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "兹聘请欧阳明远同志" in text
    assert "为北京市昌平区“科技副总”" in text
    assert "聘期自2027年1月1日至2028年12月31日" in text
    assert district.serial in text
    assert any("NotoSerifCJK" in n or "NotoSansCJK" in n for n in embedded_fonts(pdf))
    text2 = "".join(PdfReader(io.BytesIO(enterprise.open())).pages[0].extract_text().split())
    assert "为我公司科技副总" in text2
    assert enterprise.issuer_name == appointment.enterprise.name


def test_letters_issued_once(media):
    appointment, staff = _appointment()
    first = appointment_letters_issue(appointment=appointment, by=staff)
    again = appointment_letters_issue(appointment=appointment, by=staff)
    assert [d.pk for d in first] == [d.pk for d in again]
    assert IssuedDocument.objects.count() == 2


def test_verification_page_confirms_serial_without_personal_data(media, client):
    appointment, staff = _appointment()
    district, _enterprise = appointment_letters_issue(appointment=appointment, by=staff)
    page = client.get(reverse("core:document-verify", args=[district.token]))
    body = page.content.decode()
    assert page.status_code == 200
    assert district.serial in body
    assert "欧阳明远" not in body
    forged = client.get(reverse("core:document-verify", args=[district.token[:-2] + "xx"]))
    assert forged.status_code == 404


def test_appointment_create_issues_letters_after_commit(media, django_capture_on_commit_callbacks):
    project, staff = _agreement_signed()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_create(project=project, by=staff, start_date=date(2027, 3, 1))
    kinds = [d.kind for d in appointment_letters(appointment)]
    assert kinds == [DocumentKind.DISTRICT_LETTER, DocumentKind.ENTERPRISE_LETTER]


def test_round_letters_task_records_progress(media):
    appointment, staff = _appointment()
    round = appointment.project.round
    assert round_letters_task(round.pk, staff.pk) == 1
    round.refresh_from_db()
    assert (round.letters_total, round.letters_done) == (1, 1)
    assert round.letters_finished_at is not None
    assert len(appointment_letters(appointment)) == 2


def test_letter_download_access(media, client):
    appointment, staff = _appointment()
    appointment_letters_issue(appointment=appointment, by=staff)
    project = appointment.project
    url = reverse("projects:project-letter", args=[project.pk, DocumentKind.DISTRICT_LETTER])
    otp_login(client, project.expert.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    otp_login(client, f.member_of(f.project()))
    assert client.get(url).status_code == 404
    otp_login(client, staff)
    assert (
        client.get(reverse("projects:round-letters-progress", args=[project.round_id])).json()["total"] == 0
    )
