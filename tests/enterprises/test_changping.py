"""Changping enterprises only (SPEC §4, issue 15 item 7): verification needs the division code 110114 in
the credit code (characters 3–8) or evidence of operating in Changping — an address there and an uploaded
document — that staff confirm explicitly with a reason; a refusal names 昌平 and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.enums import Role
from core.identifiers import make_uscc_check_char
from enterprises import policy, services
from enterprises.enums import EnterpriseState
from enterprises.exceptions import EnterpriseError
from enterprises.models import Enterprise
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.enterprises import EnterpriseFactory
from tests.field_errors import error_at_field

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _uscc(division: str, n: int = 1) -> str:
    first17 = f"91{division}MA{n:07d}"
    return first17 + make_uscc_check_char(first17)


SHANGHAI = "310115"  # 上海市浦东新区
HAIDIAN = "110108"


@pytest.mark.parametrize(
    ("uscc", "address", "evidence", "ground"),
    [
        (_uscc("110114"), "", False, "division_code"),
        (_uscc("110114"), "上海市浦东新区", False, "division_code"),
        (_uscc(SHANGHAI), "北京市昌平区回龙观东大街1号", True, "changping_evidence"),
        (_uscc(SHANGHAI), "北京市昌平区回龙观东大街1号", False, None),
        (_uscc(SHANGHAI), "上海市浦东新区张江路1号", True, None),
        (_uscc(HAIDIAN), "", True, None),
        (_uscc(HAIDIAN), "", False, None),
    ],
)
def test_verification_ground(uscc, address, evidence, ground):
    assert policy.verification_ground(uscc=uscc, changping_address=address, has_evidence=evidence) == ground


def test_division_code_is_characters_3_to_8():
    assert policy.division_code("91110114MA01TY8K3X") == "110114"
    assert policy.division_code(" 91310115ma0000001x ") == "310115"


def _pending(*, division, address="", evidence=False):
    ent = EnterpriseFactory(
        state=EnterpriseState.REGISTERED,
        uscc=_uscc(division, n=Enterprise.objects.count() + 1),
        registered_address="上海市浦东新区张江路1号" if division == SHANGHAI else "北京市昌平区生命园路1号",
        in_changping=division == "110114",
        changping_address=address,
    )
    if evidence:
        ent.changping_evidence.save("lease.pdf", SimpleUploadedFile("lease.pdf", PDF), save=True)
    return ent


CP = "北京市昌平区回龙观东大街1号"
# (division, operating address, evidence, staff confirm, reason) → error fragment or None (verified), ground
VERIFY_CASES = [
    ("110114", "", False, False, "", None, "division_code"),
    (SHANGHAI, "", False, False, "", "不是昌平区（110114），也没有提供在昌平区的经营地址和证明材料", ""),
    (SHANGHAI, CP, False, True, "租赁合同已核实", "也没有提供在昌平区的经营地址和证明材料", ""),
    (SHANGHAI, "", True, True, "租赁合同已核实", "也没有提供在昌平区的经营地址和证明材料", ""),
    (SHANGHAI, CP, True, False, "租赁合同已核实", "须勾选确认已核实材料并填写理由", ""),
    (SHANGHAI, CP, True, True, "  ", "须勾选确认已核实材料并填写理由", ""),
    (SHANGHAI, CP, True, True, "租赁合同已核实，研发中心在昌平", None, "changping_evidence"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("division", "address", "evidence", "confirm", "reason", "error", "ground"), VERIFY_CASES
)
def test_enterprise_verify(media, division, address, evidence, confirm, reason, error, ground):
    staff = UserFactory(roles=[Role.COMMISSION])
    ent = _pending(division=division, address=address, evidence=evidence)
    if error:
        with pytest.raises(EnterpriseError, match=error) as exc:
            services.enterprise_verify(enterprise=ent, by=staff, confirm_evidence=confirm, reason=reason)
        assert "昌平" in str(exc.value)
        fresh = Enterprise.objects.get(pk=ent.pk)
        assert (fresh.state, fresh.verification_ground, fresh.verified_at) == ("registered", "", None)
        assert not fresh.transitions.filter(to_state="verified").exists()
        return
    services.enterprise_verify(enterprise=ent, by=staff, confirm_evidence=confirm, reason=reason)
    fresh = Enterprise.objects.get(pk=ent.pk)
    assert (fresh.state, fresh.verification_ground) == ("verified", ground)
    expected_reason = reason.strip() if ground == "changping_evidence" else ""
    assert fresh.verification_reason == expected_reason
    assert fresh.transitions.get(to_state="verified").reason == expected_reason


@pytest.mark.django_db
def test_evidence_ground_without_reason_refused_in_sql():
    ent = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE enterprises_enterprise SET verification_ground = 'changping_evidence', "
            "verification_reason = '' WHERE id = %s",
            [ent.pk],
        )
    assert Enterprise.objects.get(pk=ent.pk).verification_ground == ""


# --- the verify page -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("division", "address", "evidence", "shown"),
    [
        ("110114", "", False, "依据：信用代码行政区划码为昌平区（110114），可以认证。"),
        (SHANGHAI, CP, True, "企业提供了在昌平区的经营地址和证明材料，请核实后勾选确认并填写理由"),
        (SHANGHAI, "", False, "不能认证，只有昌平区科技型企业可以认证"),
    ],
)
def test_verify_page_shows_the_ground(client, media, division, address, evidence, shown):
    staff = UserFactory(roles=[Role.COMMISSION])
    ent = _pending(division=division, address=address, evidence=evidence)
    otp_login(client, staff)
    html = client.get(reverse("enterprises:enterprise-detail", args=[ent.pk])).content.decode()
    assert shown in html
    assert ('id="verify-btn"' in html) == (division == "110114" or evidence)


@pytest.mark.django_db
def test_verify_page_refuses_a_shanghai_enterprise_naming_changping(client, media):
    staff = UserFactory(roles=[Role.COMMISSION])
    ent = _pending(division=SHANGHAI)
    otp_login(client, staff)
    r = client.post(reverse("enterprises:enterprise-verify", args=[ent.pk]), follow=True)
    html = r.content.decode()
    assert r.status_code == 200
    assert "只有昌平区科技型企业可以认证" in html and "310115" in html
    assert Enterprise.objects.get(pk=ent.pk).state == "registered"


@pytest.mark.django_db
def test_verify_page_on_evidence_keeps_the_reason_typed_and_then_verifies(client, media):
    staff = UserFactory(roles=[Role.COMMISSION])
    ent = _pending(division=SHANGHAI, address=CP, evidence=True)
    otp_login(client, staff)
    url = reverse("enterprises:enterprise-verify", args=[ent.pk])
    r = client.post(url, {"reason": "研发中心租赁合同已核实"})
    html = r.content.decode()
    message = error_at_field(html, "verify_form-confirm_evidence")
    assert message == "请勾选确认已核实该企业在昌平区的经营地址和证明材料。"
    assert "研发中心租赁合同已核实" in html
    assert Enterprise.objects.get(pk=ent.pk).state == "registered"
    client.post(url, {"reason": "研发中心租赁合同已核实", "confirm_evidence": "on"})
    fresh = Enterprise.objects.get(pk=ent.pk)
    assert (fresh.state, fresh.verification_ground) == ("verified", "changping_evidence")
    page = client.get(reverse("enterprises:enterprise-detail", args=[ent.pk])).content.decode()
    assert "在昌平区经营的证明材料（经工作人员确认）：研发中心租赁合同已核实" in page
    evidence = client.get(reverse("enterprises:enterprise-evidence", args=[ent.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_enterprise_uploads_its_changping_evidence(client, media):
    ent = _pending(division=SHANGHAI)
    client.force_login(ent.admin_user)
    url = reverse("enterprises:enterprise-update", args=[ent.pk])
    form = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in form and "changping_evidence" in form
    data = {
        "name": ent.name,
        "uscc": ent.uscc,
        "registered_address": ent.registered_address,
        "changping_address": CP,
        "changping_evidence": SimpleUploadedFile("lease.pdf", PDF, content_type="application/pdf"),
        "industry": ent.industry_id,
        "qualifications": ["high_tech"],
        "size": "small",
        "employee_count": 50,
        "rd_staff_count": 20,
        "contact_name": "王联络",
        "contact_phone": "010-69710000",
        "contact_email": "contact@example.cn",
    }
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    fresh = Enterprise.objects.get(pk=ent.pk)
    assert fresh.changping_address == CP and fresh.changping_evidence
    assert services.enterprise_verification_ground(fresh) == "changping_evidence"
