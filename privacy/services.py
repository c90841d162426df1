"""Consent records and the expert's download of their own personal data (PIPL art. 14, 45)."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone

from core.audit import audit

from . import notice, registry
from .models import ConsentKind, ConsentRecord


def expert_model() -> type[models.Model]:
    """experts.Expert, the person a consent is about: reached through ConsentRecord.expert, as privacy imports
    no app above it (tests/core/test_layering.py)."""
    return ConsentRecord._meta.get_field("expert").related_model


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


def personal_data_export(*, expert, by, ip_address: str | None = None) -> dict:
    """Everything the portal holds about `expert` as plain JSON values: the sections the apps register
    (privacy.registry: profile with the ID number decrypted — it is their own —, login account,
    achievements, nominations, change requests, consents, bank accounts, appointments, payments, the credit
    records about them once notified, with their objections). Audited `expert.data_export`."""
    data = {
        "generated_at": timezone.localtime().isoformat(),
        "notice_version": notice.NOTICE_VERSION,
        **registry.collect(expert),
    }
    audit(by, "expert.data_export", expert, ip_address=ip_address)
    return data
