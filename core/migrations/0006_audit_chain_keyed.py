"""The audit chain becomes keyed (issue 18 item 4): each record gets `key_id`, and every existing record is
re-hashed with HMAC-SHA256 under the current key of settings.AUDIT_HMAC_KEYS, in sequence order, from the
latest purge anchor (or the start), so the plain SHA-256 chain no longer verifies. Runs as the tables'
owner (migrations do): the append-only trigger is disabled for this one transaction."""

import hashlib
import hmac

from django.db import migrations, models


def rehash(apps, schema_editor):
    from core.audit_chain import audit_keys, canonical

    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditAnchor = apps.get_model("core", "AuditAnchor")
    if not AuditEvent.objects.exists():
        return
    keys = audit_keys()
    if not keys:
        raise RuntimeError("AUDIT_HMAC_KEYS must be set to migrate the audit chain (docs/SECURITY.md)")
    key_id, secret = next(iter(keys.items()))
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
    anchor = AuditAnchor.objects.order_by("-through_seq").first()
    prev = anchor.through_hash if anchor else None
    last = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if prev is not None:
            event.prev_hash = prev
        event.key_id = key_id
        event.row_hash = hmac.new(secret, canonical(
            seq=event.seq, created_at=event.created_at, actor_id=event.actor_id, action=event.action,
            target_type=event.target_type, target_id=event.target_id, summary=event.summary,
            data=event.data, ip_address=event.ip_address, prev_hash=event.prev_hash, key_id=key_id,
        ), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(
            prev_hash=event.prev_hash, key_id=key_id, row_hash=event.row_hash
        )
        prev, last = event.row_hash, event
    if postgres:
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
    if last is not None:
        AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": last.seq, "row_hash": last.row_hash})


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_chain_required_no_truncate")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=16, verbose_name="密钥编号"
            ),
        ),
        migrations.RunPython(rehash, migrations.RunPython.noop),
    ]
