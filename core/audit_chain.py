"""The audit log's hash chain (issue 9 item 10; 等保 2.0 8.1.4.3 c, ASVS 7.3.3).

Each `AuditEvent` carries `seq` (gapless), `prev_hash`, `key_id` and
`row_hash = HMAC-SHA256(key, canonical fields + key_id + prev_hash)` under a key that is not in the
database (settings.AUDIT_HMAC_KEYS, "id:secret" pairs from the environment, the first signs new rows,
the others still verify old ones — issue 18 item 4). A database owner who disables the triggers, rewrites
rows and recomputes the chain cannot produce the keyed hashes; one who cuts the tail and rewinds the head
is caught by the anchors written daily outside the database (`anchor_write`, compared by
`verify_chain(anchor=…)`).
Appending locks the single `AuditChainHead` row (SELECT … FOR UPDATE), so concurrent inserts serialise
and the head always names the last record: an edited row, a removed row (a gap) or a removed tail is
found by `verify_chain` (`manage.py verify_audit`). `audit_purge` removes records older than 180 days
only, and leaves an `AuditAnchor` (the last purged seq and hash) from which the rest still verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

RETENTION_DAYS = 180


class AuditPurgeRefused(Exception):
    pass


def normalise_data(data) -> dict:
    """The JSON value as the database will give it back (tuples → lists, Decimal/dates → strings)."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def _ip(value) -> str:
    if not value:
        return ""
    try:
        return ipaddress.ip_address(str(value)).compressed
    except ValueError:
        return str(value)


class AuditKeyMissing(Exception):
    pass


def audit_keys() -> dict[str, bytes]:
    """key id → secret, in the order of settings.AUDIT_HMAC_KEYS (the first signs new records)."""
    from django.conf import settings

    keys: dict[str, bytes] = {}
    for entry in getattr(settings, "AUDIT_HMAC_KEYS", None) or []:
        key_id, sep, secret = str(entry).partition(":")
        if sep and key_id and secret:
            keys[key_id.strip()] = secret.strip().encode()
    return keys


def current_key_id() -> str:
    keys = audit_keys()
    if not keys:
        raise AuditKeyMissing("AUDIT_HMAC_KEYS is empty: audit records cannot be written (docs/SECURITY.md)")
    return next(iter(keys))


def canonical(*, seq, created_at: datetime, actor_id, action, target_type, target_id, summary, data,
              ip_address, prev_hash, key_id: str | None = None) -> bytes:
    fields = [
        str(seq),
        created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "" if actor_id is None else str(actor_id),
        action,
        target_type,
        target_id,
        summary,
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        _ip(ip_address),
        *([] if key_id is None else [key_id]),
        prev_hash,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def legacy_row_hash_of(event) -> str:
    """The unkeyed SHA-256 of the first chain (migration 0004; replaced by migration 0006)."""
    return hashlib.sha256(
        canonical(
            seq=event.seq, created_at=event.created_at, actor_id=event.actor_id, action=event.action,
            target_type=event.target_type, target_id=event.target_id, summary=event.summary,
            data=event.data, ip_address=event.ip_address, prev_hash=event.prev_hash,
        )
    ).hexdigest()


def row_hash_of(event, keys: dict[str, bytes] | None = None) -> str | None:
    """The keyed hash of the record under its key id; None when that key is unknown."""
    keys = audit_keys() if keys is None else keys
    secret = keys.get(event.key_id or "")
    if secret is None:
        return None
    return hmac.new(
        secret,
        canonical(
            seq=event.seq,
            created_at=event.created_at,
            actor_id=event.actor_id,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            summary=event.summary,
            data=event.data,
            ip_address=event.ip_address,
            prev_hash=event.prev_hash,
            key_id=event.key_id,
        ),
        hashlib.sha256,
    ).hexdigest()


def _locked_head():
    from .models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First record after a fresh database (or a test flush): start from the last record, if any.
    last = AuditEvent.objects.order_by("-seq").only("seq", "row_hash").first()
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=1, seq=last.seq if last else 0, row_hash=last.row_hash if last else ""
            )
    except IntegrityError:  # created concurrently
        pass
    return AuditChainHead.objects.select_for_update().get(pk=1)


def append(**values):
    """Insert one AuditEvent at the end of the chain (call inside or outside a transaction)."""
    from .models import AuditEvent

    values["data"] = normalise_data(values.get("data"))
    key_id = current_key_id()
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            prev_hash=head.row_hash,
            created_at=timezone.now(),
            key_id=key_id,
            **values,
        )
        event.row_hash = row_hash_of(event)
        # auto_now_add would replace created_at after hashing; save the exact value hashed.
        event.save_base(raw=True, force_insert=True)
        head.seq, head.row_hash = event.seq, event.row_hash
        head.save(update_fields=["seq", "row_hash"])
    return event


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(*, batch_size: int = 2000, anchor: dict | None = None) -> ChainReport:
    """Walk the chain in sequence order from the latest purge anchor; report each edit and gap, and —
    given an anchor written outside the database (`anchor_write`) — that its record is still there with
    the same hash and the chain did not end before it."""
    from .models import AuditAnchor, AuditChainHead, AuditEvent

    report = ChainReport()
    keys = audit_keys()
    if not keys:
        report.problems.append(_("未配置审计密钥（AUDIT_HMAC_KEYS），无法校验"))
        return report
    outside = anchor
    anchor = AuditAnchor.objects.order_by("-through_seq").first()
    expected_seq = (anchor.through_seq if anchor else 0) + 1
    expected_prev = anchor.through_hash if anchor else ""
    rows = AuditEvent.objects.order_by("seq").filter(seq__gte=expected_seq if anchor else 0)
    if anchor and AuditEvent.objects.filter(seq__lt=expected_seq).exists():
        expected_seq = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        report.problems.append(_("清理锚点之前仍有记录（序号 %(seq)s 起）") % {"seq": expected_seq})
    for event in rows.iterator(chunk_size=batch_size):
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(
                _("缺失记录：序号 %(a)s 至 %(b)s（记录 #%(id)s 之前）")
                % {"a": expected_seq, "b": event.seq - 1, "id": event.pk}
            )
        elif event.prev_hash != expected_prev:
            report.problems.append(
                _("记录 #%(id)s（序号 %(seq)s）的上一条哈希不符") % {"id": event.pk, "seq": event.seq}
            )
        expected_hash = row_hash_of(event, keys)
        if expected_hash is None:
            report.problems.append(
                _("记录 #%(id)s（序号 %(seq)s）的密钥编号“%(kid)s”未知")
                % {"id": event.pk, "seq": event.seq, "kid": event.key_id}
            )
        elif not hmac.compare_digest(expected_hash, event.row_hash):
            report.problems.append(
                _("记录 #%(id)s（序号 %(seq)s）已被修改：哈希不符") % {"id": event.pk, "seq": event.seq}
            )
        if outside and event.seq == outside["seq"] and event.row_hash != outside["row_hash"]:
            report.problems.append(
                _("序号 %(seq)s 的哈希与库外锚点（%(at)s）不符")
                % {"seq": event.seq, "at": outside.get("at", "")}
            )
        expected_seq, expected_prev = event.seq + 1, event.row_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq >= expected_seq:
        report.problems.append(
            _("缺失末尾记录：序号 %(a)s 至 %(b)s") % {"a": expected_seq, "b": head.seq}
        )
    if outside and expected_seq - 1 < outside["seq"]:
        report.problems.append(
            _("库外锚点（%(at)s）记录到序号 %(seq)s，链只到序号 %(last)s：末尾记录被删除")
            % {"at": outside.get("at", ""), "seq": outside["seq"], "last": expected_seq - 1}
        )
    return report


# --- anchors outside the database ----------------------------------------------------------------------


def anchor_write(directory: str | None = None) -> dict:
    """Write the chain head (seq, hash, time) outside the database: one log line (for syslog) and one
    JSON line appended to `<AUDIT_ANCHOR_DIR>/audit-anchor-<date>.jsonl` (a directory a write-once store
    or a backup keeps). Run daily by the beat task `core.tasks.audit_anchor`."""
    import logging
    from pathlib import Path

    from django.conf import settings

    from .models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    anchor = {
        "seq": head.seq if head else 0,
        "row_hash": head.row_hash if head else "",
        "at": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    # The hash in groups of 8 (dashes): the log's personal-number masking would take a long digit run of
    # the hex for an account number.
    grouped = "-".join(anchor["row_hash"][i:i + 8] for i in range(0, len(anchor["row_hash"]), 8))
    logging.getLogger("core.audit_anchor").info(
        "audit chain head seq=%s hash=%s at=%s", anchor["seq"], grouped, anchor["at"]
    )
    folder = Path(directory or settings.AUDIT_ANCHOR_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"audit-anchor-{anchor['at'][:10]}.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(anchor, separators=(",", ":")) + "\n")
    return anchor


def anchor_latest(path: str | None = None) -> dict | None:
    """The newest anchor in a file, or in the newest file of AUDIT_ANCHOR_DIR; None when there is none."""
    from pathlib import Path

    from django.conf import settings

    target = Path(path or settings.AUDIT_ANCHOR_DIR)
    if target.is_dir():
        files = sorted(target.glob("audit-anchor-*.jsonl"))
        if not files:
            return None
        target = files[-1]
    if not target.exists():
        return None
    lines = [line for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def audit_purge(*, before: datetime, by=None) -> int:
    """Delete the audit records created before `before`, which must be at least 180 days ago. Writes an
    anchor (last purged seq and hash) and an `audit.purge` record; returns the number deleted."""
    from .audit import audit
    from .models import AuditAnchor, AuditEvent

    limit = timezone.now() - timedelta(days=RETENTION_DAYS)
    if before > limit:
        raise AuditPurgeRefused(
            _("审计记录至少保存 %(days)s 天：只能清理 %(date)s 之前的记录。")
            % {"days": RETENTION_DAYS, "date": timezone.localtime(limit).strftime("%Y-%m-%d %H:%M")}
        )
    with transaction.atomic():
        _locked_head()  # no record is appended while the prefix is cut
        last = AuditEvent.objects.filter(created_at__lt=before).order_by("-seq").first()
        if last is None:
            return 0
        if connection.vendor == "postgresql":
            # The append-only trigger lets this transaction delete rows older than 180 days only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL kjfz.audit_purge = 'on'")
        deleted, _detail = AuditEvent.objects.filter(seq__lte=last.seq).delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL kjfz.audit_purge = 'off'")
        AuditAnchor.objects.create(
            actor=by if getattr(by, "pk", None) else None,
            purged_before=before,
            through_seq=last.seq,
            through_hash=last.row_hash,
            deleted=deleted,
        )
    audit(
        by, "audit.purge", summary=f"< {before:%Y-%m-%d}", data={"deleted": deleted, "through_seq": last.seq}
    )
    return deleted
