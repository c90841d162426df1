"""Item 10 — the audit log is a hash chain (`verify_audit` finds an edit, a gap or a missing tail), purging
records younger than 180 days is refused (by the service and by the database), the chain still verifies
after a purge, TRUNCATE is refused, and concurrent writers serialise (等保 2.0 8.1.4.3 c/d; ASVS 7.3.3)."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from core.audit import audit
from core.audit_chain import AuditPurgeRefused, audit_purge, row_hash_of, verify_chain
from core.models import AuditAnchor, AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]


def _verify() -> tuple[bool, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def _tamper(sql: str, *params) -> None:
    """What someone with the table owner's rights could do: switch the trigger off and edit."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks before ALTER TABLE
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def _three():
    return [
        audit(None, "test.event", summary=f"第{i}条", data={"n": i}, ip_address="203.0.113.9")
        for i in (1, 2, 3)
    ]


def test_each_record_is_chained_to_the_previous_one():
    a, b, c = _three()
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.pk for r in rows[-3:]] == [a.pk, b.pk, c.pk]
    assert rows[-2].prev_hash == rows[-3].row_hash and rows[-1].prev_hash == rows[-2].row_hash
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + len(rows)))
    for r in rows:  # the hash read back from the database is the hash written
        assert row_hash_of(r) == r.row_hash and len(r.row_hash) == 64
    ok, message = _verify()
    assert ok and "哈希链完整" in message


def test_an_edited_record_is_named():
    _a, b, _c = _three()
    _tamper("UPDATE core_auditevent SET summary = 'changed' WHERE id = %s", b.pk)
    ok, message = _verify()
    assert not ok and f"记录 #{b.pk}" in message and "已被修改" in message


def test_an_edited_hash_breaks_the_next_link():
    _a, b, c = _three()
    _tamper("UPDATE core_auditevent SET row_hash = %s WHERE id = %s", "0" * 64, b.pk)
    ok, message = _verify()
    assert not ok and f"记录 #{b.pk}" in message and f"记录 #{c.pk}" in message


def test_a_deleted_record_is_a_gap():
    _a, b, c = _three()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", b.pk)
    ok, message = _verify()
    assert not ok and "缺失记录" in message and f"#{c.pk}" in message


def test_a_deleted_tail_is_found():
    _a, _b, c = _three()
    _tamper("DELETE FROM core_auditevent WHERE id = %s", c.pk)
    ok, message = _verify()
    assert not ok and "缺失末尾记录" in message


def test_purging_records_younger_than_180_days_is_refused():
    _three()
    with pytest.raises(AuditPurgeRefused, match="至少保存 180 天"):
        audit_purge(before=timezone.now() - timedelta(days=179))
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("audit_purge", before=timezone.localdate().isoformat())
    assert AuditEvent.objects.filter(action="test.event").count() == 3


def test_the_database_refuses_to_delete_young_records_even_for_the_purge():
    event = audit(None, "test.event")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL kjfz.audit_purge = 'on'")
        c.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_purging_old_records_leaves_an_anchor_and_a_verifiable_chain():
    long_ago = timezone.now() - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        old = _three()
    recent = _three()
    deleted = audit_purge(before=timezone.now() - timedelta(days=200))
    assert deleted >= 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in recent]).count() == 3
    anchor = AuditAnchor.objects.get()
    assert (anchor.through_seq, anchor.through_hash) == (old[-1].seq, old[-1].row_hash)
    assert AuditEvent.objects.filter(action="audit.purge").exists()
    ok, message = _verify()
    assert ok, message
    # Removing the first record after the anchor is still a gap.
    _tamper("DELETE FROM core_auditevent WHERE id = %s", recent[0].pk)
    assert not _verify()[0]


def test_truncate_is_refused_without_the_test_session_setting():
    audit(None, "test.event")
    refused = pytest.raises(DatabaseError, match="TRUNCATE refused")
    with refused, transaction.atomic(), connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute("SET LOCAL kjfz.allow_truncate = 'off'")
        c.execute("TRUNCATE core_auditevent CASCADE")
    assert AuditEvent.objects.exists()
    # What the test suite's flush relies on: the setting, in a database named test_….
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT current_database(), current_setting('kjfz.allow_truncate', true)")
        name, setting = c.fetchone()
        assert name.startswith("test_") and setting == "on"
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sid = transaction.savepoint()
        c.execute("TRUNCATE core_auditevent CASCADE")
        transaction.savepoint_rollback(sid)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    errors = []

    def writer(n):
        try:
            for i in range(15):
                with transaction.atomic():
                    audit(None, "test.concurrent", summary=f"{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) >= 60 and seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    report = verify_chain()
    assert report.ok, report.problems
