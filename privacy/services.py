"""Consent records and the expert's download of their own personal data (PIPL art. 14, 45)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from core.audit import audit
from core.crypto import decrypt

from . import notice
from .models import ConsentKind, ConsentRecord

ACCOUNT_SKIP = frozenset({"is_superuser", "is_staff"})
# Internal columns that are not the person's data (keys, digests, stored copies of other columns).
_SKIP = {"id_number_encrypted", "id_number_hash", "id_number_masked", "account_number_hash", "password"}


def _notice_fields() -> dict:
    """What a consent record keeps of the notice the person saw: its version and its three texts."""
    return {
        "notice_version": notice.NOTICE_VERSION,
        "purpose": str(notice.PURPOSE),
        "collected": str(notice.COLLECTED),
        "recipients": str(notice.RECIPIENTS),
    }


def consent_record(*, expert, kind: str, by, ip_address: str | None = None) -> ConsentRecord:
    """Record consent to the current notice; audited `consent.record`."""
    if kind not in ConsentKind.values:
        raise ValueError(kind)
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            expert=expert, kind=kind, given_by=by, ip_address=ip_address, **_notice_fields()
        )
        audit(by, "consent.record", expert, summary=f"{kind} {notice.NOTICE_VERSION}", ip_address=ip_address)
    return record


def consent_record_many(*, experts, kind: str, by, ip_address: str | None = None, target=None) -> int:
    """consent_record for many experts at once (a spreadsheet import): one record per expert that has no
    record of `kind` for the current notice yet, written with one bulk insert, and one `consent.record`
    audit row for the batch (on `target`, e.g. the institution) instead of one per expert. Returns the
    number of records written. Call inside the transaction that writes the experts."""
    if kind not in ConsentKind.values:
        raise ValueError(kind)
    ids = {e.pk for e in experts}
    ids -= set(
        ConsentRecord.objects.filter(
            expert_id__in=ids, kind=kind, notice_version=notice.NOTICE_VERSION
        ).values_list("expert_id", flat=True)
    )
    if not ids:
        return 0
    fields = _notice_fields()
    with transaction.atomic():
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(expert_id=pk, kind=kind, given_by=by, ip_address=ip_address, **fields)
                for pk in sorted(ids)
            ],
            batch_size=1000,
        )
        audit(
            by,
            "consent.record",
            target,
            summary=f"{kind} {notice.NOTICE_VERSION} ×{len(ids)}",
            data={"kind": kind, "notice_version": notice.NOTICE_VERSION, "experts": len(ids)},
            ip_address=ip_address,
        )
    return len(ids)


def has_current_consent(expert, kind: str | None = None) -> bool:
    qs = ConsentRecord.objects.filter(expert=expert, notice_version=notice.NOTICE_VERSION)
    return qs.filter(kind=kind).exists() if kind else qs.exists()


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file: its name only
        return value.name.rsplit("/", 1)[-1] if value else ""
    return value


def _row(obj: models.Model, skip: frozenset = frozenset()) -> dict:
    row = {}
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP or f.name in skip:
            continue
        key = f.attname if f.is_relation else f.name
        label = str(f.verbose_name)
        value = getattr(obj, f.name if not f.is_relation else f.attname)
        if f.choices and not f.is_relation:
            value = getattr(obj, f"get_{f.name}_display")()
        row[f"{label} ({key})"] = _plain(value)
    return row


def personal_data_export(*, expert, by, ip_address: str | None = None) -> dict:
    """Everything the portal holds about `expert` as plain JSON values: profile (ID number decrypted:
    it is their own), login account, achievements, nominations, change requests, consents, bank
    account, appointments, payments and the credit records about them (as expert or reviewer, once
    notified to them, with their objections). Audited `expert.data_export`."""
    from credit.selectors import own_credit_records
    from subsidies.models import BankAccount, Payment

    data = {
        "generated_at": timezone.localtime().isoformat(),
        "notice_version": notice.NOTICE_VERSION,
        "profile": {**_row(expert), "身份证号码 (id_number)": decrypt(expert.id_number_encrypted)},
        "account": _row(expert.user, skip=ACCOUNT_SKIP) if expert.user_id else None,
        "achievements": [_row(a) for a in expert.achievements.all()],
        "nominations": [_row(n) for n in expert.nominations.all()],
        "change_requests": [_row(c) for c in expert.change_requests.all()],
        "consents": [_row(c) for c in ConsentRecord.objects.filter(expert=expert)],
        "bank_accounts": [_row(b) for b in BankAccount.objects.filter(expert=expert)],
        "appointments": [_row(a) for a in expert.appointments.all()],
        "payments": [_row(p) for p in Payment.objects.filter(expert=expert)],
        "credit_records": [
            {**_row(r), "objections": [_row(o) for o in r.objections.all()]}
            for r in own_credit_records(expert=expert)
        ],
    }
    audit(by, "expert.data_export", expert, ip_address=ip_address)
    return data
