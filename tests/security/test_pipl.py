"""Item 16 — PIPL: a consent record when an expert's personal data is first entered (the nominating
institution ticks an explicit box after reading the notice; the expert confirms on "我的个人信息"), and the
expert downloads all their own personal data, audited (PIPL art. 14, 17, 29, 45; 等保 2.0 8.1.4.11)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from core.models import AuditEvent
from experts import services as expert_services
from experts.models import Nomination
from privacy.models import ConsentRecord
from privacy.notice import NOTICE_VERSION
from subsidies import services as money_services
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import PDF, InstitutionFactory, id_number, nominator

pytestmark = pytest.mark.django_db

IP = "203.0.113.30"


def _post(client, **overrides):
    from tests.experts.test_views import form_post

    letter = SimpleUploadedFile("推荐函.pdf", PDF, content_type="application/pdf")
    data = form_post(id_number=id_number(901), phone="13912345678", recommendation_letter=letter, **overrides)
    return client.post(reverse("experts:nomination-create"), data, REMOTE_ADDR=IP)


def test_personal_data_is_not_entered_without_the_institutions_consent(client):
    member = nominator(InstitutionFactory())
    otp_login(client, member)
    page = client.get(reverse("experts:nomination-create")).content.decode()
    assert "个人信息处理告知书" in page and "处理目的" in page and "可查看的人员" in page
    response = _post(client, personal_data_consent="")
    assert response.status_code == 200
    assert "请确认已向专家告知并取得其同意" in response.content.decode()
    assert "李储能" in response.content.decode()  # what was typed is kept
    assert not Nomination.objects.exists() and not ConsentRecord.objects.exists()


def test_consent_is_recorded_with_notice_version_text_time_ip_and_user(client):
    member = nominator(InstitutionFactory())
    otp_login(client, member)
    assert _post(client).status_code == 302
    expert = Nomination.objects.get().expert
    record = ConsentRecord.objects.get(expert=expert)
    assert (record.kind, record.given_by, record.notice_version, record.ip_address) == (
        "nomination",
        member,
        NOTICE_VERSION,
        IP,
    )
    assert "身份证号码" in record.collected and "区财政局" in record.recipients and "补贴" in record.purpose
    assert record.given_at is not None
    assert AuditEvent.objects.filter(action="consent.record", target_id=str(expert.pk), actor=member).exists()


def test_expert_confirms_and_downloads_all_their_own_data(client):
    member, staff = nominator(InstitutionFactory()), UserFactory(roles=[Role.COMMISSION])
    otp_login(client, member)
    _post(client)
    nomination = Nomination.objects.get()
    expert_services.nomination_submit(nomination=nomination, by=member)
    expert_services.nomination_admit(nomination=nomination, by=staff, invite=False)
    expert = nomination.expert
    user = UserFactory(roles=[Role.EXPERT])
    expert.user = user
    expert.save(update_fields=["user"])
    money_services.bank_account_save(
        payee_kind="expert",
        expert=expert,
        holder_name=expert.name,
        bank_name="中国工商银行北京昌平支行",
        account_number="6222020200118899001",
        by=staff,
    )

    client.force_login(user)
    page = client.get(reverse("privacy:my-data")).content.decode()
    assert NOTICE_VERSION in page and "推荐单位代为取得同意" in page
    client.post(reverse("privacy:my-data"), REMOTE_ADDR=IP)
    assert ConsentRecord.objects.filter(expert=expert, kind="expert", given_by=user).count() == 1

    response = client.get(reverse("privacy:my-data-download"), REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    assert id_number(901) in text and "13912345678" in text and "6222020200118899001" in text
    assert "一种固态电解质" in text  # achievements
    assert len(data["consents"]) == 2 and len(data["nominations"]) == 1 and data["account"]
    assert "(id_number_hash)" not in text and "(password)" not in text and "md5$" not in text
    event = AuditEvent.objects.get(action="expert.data_export")
    assert (event.actor, event.target_id, event.ip_address) == (user, str(expert.pk), IP)


def test_only_the_expert_reaches_their_data(client):
    otp_login(client, UserFactory(roles=[Role.COMMISSION]))
    assert client.get(reverse("privacy:my-data-download")).status_code == 403
    client.force_login(UserFactory(roles=[Role.EXPERT]))  # an expert account without a profile
    assert client.get(reverse("privacy:my-data-download")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, sees_my_data", [(Role.EXPERT, True), (Role.ENTERPRISE, False), (Role.NOMINATOR, False)]
)
def test_the_user_menu_links_own_sessions_and_for_experts_own_data(client, role, sees_my_data):
    user = UserFactory(roles=[role])
    client.force_login(user)
    page = client.get(reverse("core:index"), follow=True).content.decode()
    assert reverse("accounts:session-list") in page
    assert (reverse("privacy:my-data") in page) is sees_my_data


# Spreadsheet import (experts:nomination-import): the same notice and box, for every expert in the file.


def _upload(client, rows, **extra):
    from tests.experts.test_imports import XLSX, workbook

    data = SimpleUploadedFile("推荐.xlsx", workbook(rows).getvalue(), content_type=XLSX)
    return client.post(reverse("experts:nomination-import"), {"file": data, **extra}, REMOTE_ADDR=IP)


def test_import_is_refused_without_the_institutions_consent(client):
    from experts.models import Expert
    from tests.experts.test_imports import row

    otp_login(client, nominator(InstitutionFactory()))
    page = client.get(reverse("experts:nomination-import")).content.decode()
    assert "个人信息处理告知书" in page and "处理目的" in page and "可查看的人员" in page
    assert 'name="personal_data_consent"' in page
    response = _upload(client, [row(1), row(2)])
    assert response.status_code == 200
    assert "请确认已向文件中的每位专家告知并取得其同意后再导入其个人信息" in response.content.decode()
    assert "report" not in response.context and not response.context.get("token")
    assert not Expert.objects.exists() and not Nomination.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_import_records_consent_for_each_imported_expert_like_the_form(client):
    from experts.models import Expert
    from tests.experts.test_imports import row

    member = nominator(InstitutionFactory())
    otp_login(client, member)
    response = _upload(client, [row(1), row(2), row(3)], personal_data_consent="on")
    assert "新建推荐草稿 3 条" in response.content.decode()
    experts = set(Expert.objects.values_list("pk", flat=True))
    assert len(experts) == 3
    records = ConsentRecord.objects.all()
    assert {r.expert_id for r in records} == experts and len(records) == 3
    for record in records:
        assert (record.kind, record.given_by, record.notice_version, record.ip_address) == (
            "nomination",
            member,
            NOTICE_VERSION,
            IP,
        )
        assert "身份证号码" in record.collected and "区财政局" in record.recipients
        assert "补贴" in record.purpose and record.given_at is not None
    # The same text as the form path writes.
    _post(client)
    by_form = ConsentRecord.objects.exclude(expert_id__in=experts).get()
    assert (by_form.purpose, by_form.collected, by_form.recipients) == (
        records[0].purpose,
        records[0].collected,
        records[0].recipients,
    )
    institution = member.institution_membership.institution
    event = AuditEvent.objects.get(action="consent.record", target_id=str(institution.pk))
    assert (event.actor, event.ip_address, event.data["experts"]) == (member, IP, 3)
    # Re-importing the same people updates their drafts without a second record for the same notice.
    _upload(client, [row(1, 关键词="储能")], personal_data_consent="on")
    assert ConsentRecord.objects.filter(expert_id__in=experts).count() == 3


def test_failed_import_records_no_consent_and_valid_rows_get_it_when_chosen(client):
    from tests.experts.test_imports import row

    member = nominator(InstitutionFactory())
    otp_login(client, member)
    response = _upload(client, [row(1), row(2, 学科="炼金术"), row(3)], personal_data_consent="on")
    assert "未导入任何数据" in response.content.decode()
    assert not Nomination.objects.exists() and not ConsentRecord.objects.exists()
    # The institution chooses to import only the valid rows: consent given on upload covers them.
    client.post(
        reverse("experts:nomination-import"),
        {"confirm": "1", "token": response.context["token"]},
        REMOTE_ADDR=IP,
    )
    assert sorted(ConsentRecord.objects.values_list("expert__name", flat=True)) == ["专家1", "专家3"]
    assert set(ConsentRecord.objects.values_list("given_by", "ip_address")) == {(member.pk, IP)}


def test_import_rolled_back_leaves_no_consent_records(client, monkeypatch):
    """The records are written in the import's transaction: when its last write (the import's audit row,
    after the consents) fails, neither rows nor consents stay."""
    from django.db import IntegrityError

    from experts.models import Expert
    from tests.experts.test_imports import row

    def clash(*args, **kwargs):
        raise IntegrityError("simulated concurrent save")

    monkeypatch.setattr("experts.imports.audit", clash)
    otp_login(client, nominator(InstitutionFactory()))
    response = _upload(client, [row(1), row(2)], personal_data_consent="on")
    assert response.status_code == 302
    assert not Expert.objects.exists() and not ConsentRecord.objects.exists()
