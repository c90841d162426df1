"""Issue 18 item 5 — phone numbers encrypted at rest and masked like ID numbers (SPEC §7): no table holds a
plaintext number, the data migrations encrypt the rows written before (and decrypt them when migrated
back), every page shows a number in full or masked as core.phones decides for the reader, forms show the
owner's number in full, the audit log and the logs only masked."""

from __future__ import annotations

import importlib
import json

import pytest
from django.db import connection
from django.urls import reverse

from core.crypto import decrypt
from core.logging import mask_personal_numbers
from core.models import AuditEvent
from experts import services as expert_services
from projects.models import Objection
from terms import services as terms_services
from terms.enums import ContactSide
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import InstitutionFactory, id_number, make_nomination, nominator

pytestmark = pytest.mark.django_db

MOBILE, MOBILE_MASKED = "13912345678", "139****5678"
LANDLINE, LANDLINE_MASKED = "010-60712345", "010*****2345"
EXPERT_PHONE, EXPERT_PHONE_MASKED = "13712349876", "137****9876"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


def _write_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s', [value, pk])


@pytest.fixture
def stored(media):
    """One row of every table that holds a phone number, each written through its model."""
    appt = tf.appointment()
    expert = appt.expert
    expert.phone = EXPERT_PHONE
    expert_services.expert_set_id_number(expert, id_number(4242))  # (the factory's is a placeholder)
    expert.save()
    enterprise = appt.enterprise
    enterprise.contact_phone = LANDLINE
    enterprise.save(update_fields=["contact_phone"])
    institution = expert.institution
    institution.contact_phone = LANDLINE
    institution.save(update_fields=["contact_phone"])
    contact = terms_services.contact_create(
        appointment=appt, by=pf.commission(), side=ContactSide.ENTERPRISE, name="陈思远", position="总经理",
        phone=MOBILE,
    )
    objection = Objection.objects.create(
        project=appt.project, objector_name="李某", objector_contact=MOBILE, content="异议"
    )
    return {
        "appointment": appt,
        "rows": [
            (UserFactory(phone=MOBILE), "accounts_user", "phone", MOBILE),
            (expert, "experts_expert", "phone", EXPERT_PHONE),
            (institution, "experts_institution", "contact_phone", LANDLINE),
            (enterprise, "enterprises_enterprise", "contact_phone", LANDLINE),
            (contact, "terms_appointmentcontact", "phone", MOBILE),
            (objection, "projects_objection", "objector_contact", MOBILE),
        ],
    }


def test_a_raw_select_of_every_table_shows_no_plaintext_phone(stored):
    for obj, table, column, plain in stored["rows"]:
        raw = _raw(table, column, obj.pk)
        assert raw.startswith("gAAAAA") and plain not in raw, (table, raw)
        assert decrypt(raw) == plain
        assert getattr(type(obj).objects.get(pk=obj.pk), column) == plain  # the ORM reads it back


# (module, its tables and columns) — the data migrations that turned the CharFields into encrypted ones
MIGRATIONS = [
    ("accounts.migrations.0003_encrypt_phone", {("accounts_user", "phone")}),
    ("experts.migrations.0006_encrypt_phones", {
        ("experts_expert", "phone"), ("experts_institution", "contact_phone")
    }),
    ("enterprises.migrations.0005_encrypt_contact_phone", {("enterprises_enterprise", "contact_phone")}),
    ("terms.migrations.0003_encrypt_contact_phone", {("terms_appointmentcontact", "phone")}),
    ("projects.migrations.0006_encrypt_objector_contact", {("projects_objection", "objector_contact")}),
]


def test_the_data_migrations_encrypt_rows_written_before_and_decrypt_them_when_migrated_back(stored):
    rows = {(table, column): (obj, plain) for obj, table, column, plain in stored["rows"]}
    assert {c for _m, columns in MIGRATIONS for c in columns} == set(rows)  # every phone column has one
    editor = connection.schema_editor()
    for module_name, columns in MIGRATIONS:
        module = importlib.import_module(module_name)
        assert set(module.COLUMNS) == columns
        for table, column in columns:  # the plaintext a CharField left behind
            obj, plain = rows[table, column]
            _write_raw(table, column, obj.pk, plain)
        module.encrypt_rows(None, editor)
        for table, column in columns:
            obj, plain = rows[table, column]
            raw = _raw(table, column, obj.pk)
            assert raw.startswith("gAAAAA") and decrypt(raw) == plain
            assert getattr(type(obj).objects.get(pk=obj.pk), column) == plain
        first = {c: _raw(*c, rows[c][0].pk) for c in columns}
        module.encrypt_rows(None, editor)  # a rerun leaves encrypted rows alone
        assert {c: _raw(*c, rows[c][0].pk) for c in columns} == first
        module.decrypt_rows(None, editor)  # migrating back: plaintext for the CharField again
        for table, column in columns:
            obj, plain = rows[table, column]
            assert _raw(table, column, obj.pk) == plain


def _page(client, user, name, *args, method="get", query: str = "") -> str:
    otp_login(client, user)
    response = getattr(client, method)(reverse(name, args=args) + query)
    assert response.status_code == 200, (name, user, response.status_code)
    return response.content.decode()


def _shows(page: str, full: str, masked: str) -> str:
    if full in page:
        return "full"
    return "masked" if masked in page else "absent"


def test_each_page_shows_phones_in_full_or_masked_by_role(client, stored):
    appt = stored["appointment"]
    expert, enterprise = appt.expert, appt.enterprise
    staff, office = pf.commission(), pf.talent_office()
    institution_user = tf.nominator(appt)
    expert_user, enterprise_user = tf.expert_user(appt), tf.enterprise_user(appt)
    # (page, args, reader, number, expected)
    cases = [
        # an expert's own number: like the ID number (core.phones)
        ("experts:expert-detail", (expert.pk,), expert_user, EXPERT_PHONE, "full"),
        ("experts:expert-detail", (expert.pk,), staff, EXPERT_PHONE, "masked"),
        ("experts:expert-detail", (expert.pk,), institution_user, EXPERT_PHONE, "masked"),
        ("experts:expert-profile-edit", (), expert_user, EXPERT_PHONE, "full"),
        ("privacy:my-data-download", (), expert_user, EXPERT_PHONE, "full"),
        # an appointment's contact persons: staff and the parties, not the talent office
        ("terms:appointment-detail", (appt.pk,), staff, MOBILE, "full"),
        ("terms:appointment-detail", (appt.pk,), expert_user, MOBILE, "full"),
        ("terms:appointment-detail", (appt.pk,), enterprise_user, MOBILE, "full"),
        ("terms:appointment-detail", (appt.pk,), institution_user, MOBILE, "full"),
        ("terms:appointment-detail", (appt.pk,), office, MOBILE, "masked"),
        # an organisation's contact number: staff and the organisation itself
        ("enterprises:enterprise-detail", (enterprise.pk,), staff, LANDLINE, "full"),
        ("enterprises:enterprise-detail", (enterprise.pk,), enterprise_user, LANDLINE, "full"),
        ("enterprises:enterprise-update", (enterprise.pk,), enterprise_user, LANDLINE, "full"),
        ("experts:institution-list", (), staff, LANDLINE, "full"),
    ]
    queries = {"experts:institution-list": f"?q={expert.institution.name}"}
    masks = {EXPERT_PHONE: EXPERT_PHONE_MASKED, MOBILE: MOBILE_MASKED, LANDLINE: LANDLINE_MASKED}
    got = []
    for name, args, reader, number, _expected in cases:
        page = _page(client, reader, name, *args, query=queries.get(name, ""))
        got.append((name, reader.primary_role, _shows(page, number, masks[number])))
    assert got == [(name, reader.primary_role, expected) for name, _a, reader, _n, expected in cases]


def test_the_privacy_download_holds_the_full_numbers(client, stored):
    appt = stored["appointment"]
    appt.expert.user.phone = MOBILE
    appt.expert.user.save(update_fields=["phone"])
    otp_login(client, appt.expert.user)
    data = json.loads(client.get(reverse("privacy:my-data-download")).content)
    text = json.dumps(data, ensure_ascii=False)
    assert EXPERT_PHONE in text and MOBILE in text and "gAAAAA" not in text


def test_staff_reveal_an_experts_phone_on_its_page_and_it_is_audited(client, stored):
    expert, staff = stored["appointment"].expert, pf.commission()
    page = _page(client, staff, "experts:expert-detail", expert.pk)
    assert EXPERT_PHONE not in page and EXPERT_PHONE_MASKED in page and "查看完整手机号码" in page
    page = _page(client, staff, "experts:expert-phone", expert.pk, method="post")
    assert EXPERT_PHONE in page and "查看完整手机号码" not in page
    views = AuditEvent.objects.filter(action="expert.phone_view", actor=staff, target_id=str(expert.pk))
    assert views.count() == 1
    otp_login(client, nominator(expert.institution))
    assert client.post(reverse("experts:expert-phone", args=[expert.pk])).status_code == 404


def test_the_nominator_sees_the_number_in_full_only_while_the_draft_is_its_to_edit(client):
    member, staff = nominator(InstitutionFactory()), pf.commission()
    nomination = make_nomination(by=member, phone=EXPERT_PHONE)
    assert _shows(_page(client, member, "experts:nomination-detail", nomination.pk), EXPERT_PHONE,
                  EXPERT_PHONE_MASKED) == "full"
    form = _page(client, member, "experts:nomination-update", nomination.pk)
    assert f'value="{EXPERT_PHONE}"' in form
    assert _shows(_page(client, staff, "experts:nomination-detail", nomination.pk), EXPERT_PHONE,
                  EXPERT_PHONE_MASKED) == "masked"
    expert_services.nomination_submit(nomination=nomination, by=member)
    assert _shows(_page(client, member, "experts:nomination-detail", nomination.pk), EXPERT_PHONE,
                  EXPERT_PHONE_MASKED) == "masked"


def test_contact_changes_are_audited_with_the_numbers_masked(stored):
    contact = next(obj for obj, table, *_r in stored["rows"] if table == "terms_appointmentcontact")
    terms_services.contact_update(
        contact=contact, by=pf.commission(), side=contact.side, name=contact.name, position=contact.position,
        phone=LANDLINE,
    )
    data = AuditEvent.objects.get(action="contact.update").data
    assert data == {"phone": [MOBILE_MASKED, LANDLINE_MASKED]}
    text = json.dumps(list(AuditEvent.objects.values_list("data", "summary")), ensure_ascii=False)
    assert MOBILE not in text and LANDLINE not in text


def test_the_log_filter_masks_landlines_as_well_as_mobiles():
    text = (
        f"电话 {LANDLINE}、(0571)87654321、01060712345，手机 {MOBILE}，"
        "编号 ZF-2026-0001，日期 2026-12-05，金额 0.0123456789"
    )
    masked = mask_personal_numbers(text)
    assert LANDLINE_MASKED in masked and MOBILE_MASKED in masked
    assert not any(p in masked for p in (LANDLINE, "87654321", "01060712345", MOBILE))
    assert "ZF-2026-0001" in masked and "2026-12-05" in masked and "0.0123456789" in masked


def test_phone_columns_are_not_searchable_in_the_admin():
    from django.contrib import admin

    from accounts.models import User
    from terms.models import AppointmentContact

    for model in (User, AppointmentContact):
        assert not [f for f in admin.site._registry[model].search_fields if "phone" in f]
