"""Issue 18 item 4 — a keyed, anchored audit chain. The attack of the outside tester: a database owner
disables the triggers, rewrites rows, recomputes a plain SHA-256 chain and the head — detected, because the
hashes are HMACs under a key that is not in the database. Cutting the tail and rewinding the head passes
the chain's own walk, and is caught by the anchor written outside the database."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.audit import audit
from core.audit_chain import anchor_latest, anchor_write, canonical, verify_chain
from core.models import AuditChainHead, AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    user = UserFactory()
    for i in range(6):
        audit(user, "drill.event", summary=f"第{i}条", data={"n": i})
    assert verify_chain().ok
    return user


def _disable_triggers():
    # (the test's own inserts leave deferred foreign-key checks pending, which ALTER TABLE refuses)
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    _sql("ALTER TABLE core_auditevent DISABLE TRIGGER USER")


def _sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _rewrite_with_plain_sha256(from_seq: int, *, summary: str, drop_key_id: bool = False) -> None:
    """The attacker's tools: owner rights and the published algorithm, but not the key."""
    _disable_triggers()
    events = list(AuditEvent.objects.order_by("seq"))
    prev = next(e for e in events if e.seq == from_seq).prev_hash
    for event in events:
        if event.seq < from_seq:
            continue
        if event.seq == from_seq:
            event.summary = summary
        event.prev_hash = prev
        if drop_key_id:
            event.key_id = ""
        event.row_hash = hashlib.sha256(canonical(
            seq=event.seq, created_at=event.created_at, actor_id=event.actor_id, action=event.action,
            target_type=event.target_type, target_id=event.target_id, summary=event.summary,
            data=event.data, ip_address=event.ip_address, prev_hash=event.prev_hash,
            key_id=None if drop_key_id else event.key_id,
        )).hexdigest()
        _sql(
            "UPDATE core_auditevent SET summary = %s, prev_hash = %s, row_hash = %s, key_id = %s"
            " WHERE id = %s",
            [event.summary, event.prev_hash, event.row_hash, event.key_id, event.pk],
        )
        prev = event.row_hash
    _sql("UPDATE core_auditchainhead SET seq = %s, row_hash = %s WHERE id = 1", [events[-1].seq, prev])
    _sql("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def test_rows_are_keyed_hmacs_with_a_key_id(chain, settings):
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.key_id == settings.AUDIT_HMAC_KEYS[0].split(":")[0]
    plain = hashlib.sha256(canonical(
        seq=event.seq, created_at=event.created_at, actor_id=event.actor_id, action=event.action,
        target_type=event.target_type, target_id=event.target_id, summary=event.summary, data=event.data,
        ip_address=event.ip_address, prev_hash=event.prev_hash, key_id=event.key_id,
    )).hexdigest()
    assert event.row_hash != plain and len(event.row_hash) == 64


def test_the_owners_rewrite_with_a_recomputed_sha256_chain_is_detected(chain):
    first = AuditEvent.objects.order_by("seq").filter(action="drill.event").first()
    _rewrite_with_plain_sha256(first.seq, summary="无事发生")
    assert AuditEvent.objects.get(pk=first.pk).summary == "无事发生"
    report = verify_chain()
    assert not report.ok
    assert any(f"序号 {first.seq}）已被修改" in p for p in report.problems)
    with pytest.raises(CommandError):
        call_command("verify_audit", "--no-anchor", stdout=StringIO(), stderr=StringIO())


def test_a_rewrite_posing_as_unkeyed_legacy_rows_is_detected(chain):
    first = AuditEvent.objects.order_by("seq").filter(action="drill.event").first()
    _rewrite_with_plain_sha256(first.seq, summary="无事发生", drop_key_id=True)
    report = verify_chain()
    assert any("密钥编号" in p and "未知" in p for p in report.problems)


def test_a_cut_tail_with_a_rewound_head_is_caught_by_the_anchor_outside_the_database(chain, settings):
    anchor = anchor_write()
    files = list(Path(settings.AUDIT_ANCHOR_DIR).iterdir())
    assert len(files) == 1 and json.loads(files[0].read_text().splitlines()[-1]) == anchor
    assert anchor_latest() == anchor
    last = AuditEvent.objects.order_by("-seq").first()
    keep = AuditEvent.objects.order_by("-seq")[2]
    _disable_triggers()
    _sql("DELETE FROM core_auditevent WHERE seq > %s", [keep.seq])
    _sql("UPDATE core_auditchainhead SET seq = %s, row_hash = %s WHERE id = 1", [keep.seq, keep.row_hash])
    _sql("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
    assert verify_chain().ok  # the chain alone cannot tell
    report = verify_chain(anchor=anchor_latest())
    assert not report.ok and any(str(last.seq) in p and "锚点" in p for p in report.problems)
    assert AuditChainHead.objects.get(pk=1).seq == keep.seq


def test_an_anchor_is_logged_and_the_command_uses_the_newest(chain, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="core.audit_anchor"):
        anchor = anchor_write()
    line = next(r.getMessage() for r in caplog.records if r.name == "core.audit_anchor")
    assert f"audit chain head seq={anchor['seq']} hash=" in line
    assert line.split("hash=")[1].split()[0].replace("-", "") == anchor["row_hash"]
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert f"序号 {anchor['seq']}" in out.getvalue() and "校验通过" in out.getvalue()


def test_the_deploy_check_requires_audit_keys_from_the_environment(settings):
    from core.checks import production_secrets

    settings.AUDIT_HMAC_KEYS_FROM_ENV = False
    assert "core.E103" in [e.id for e in production_secrets()]
    settings.AUDIT_HMAC_KEYS_FROM_ENV = True
    assert "core.E103" not in [e.id for e in production_secrets()]


@pytest.mark.django_db(transaction=True)
def test_the_portals_runtime_role_cannot_disable_triggers_or_rewrite_the_audit_table():
    """docker-compose runs the portal as a role granted by `db_grant_app_role` (migrations as the owner):
    it writes audit rows, but cannot disable the triggers, alter, update or delete them."""
    import psycopg

    role = "kjfz_test_app_role"
    s = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'test-only-app-role'")
    try:
        call_command("db_grant_app_role", role, stdout=StringIO())
        audit(None, "drill.event", summary="运行角色测试")
        url = (f"postgresql://{role}:test-only-app-role@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
               f"/{s['NAME']}")
        with psycopg.connect(url, autocommit=True) as app:
            assert app.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] >= 1
            for statement in (
                "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
                "UPDATE core_auditevent SET summary = 'x'",
                "DELETE FROM core_auditevent",
                "TRUNCATE core_auditevent",
                "DROP TRIGGER core_auditevent_no_truncate ON core_auditevent",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE IF EXISTS {role}")


def test_compose_runs_the_portal_as_the_runtime_role_and_migrates_as_the_owner():
    import yaml
    from django.conf import settings

    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://kjfz_app:")
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://kjfz:")
    assert "db_grant_app_role kjfz_app" in " ".join(migrate["command"])
    assert "migrate" not in " ".join(services["web"]["command"])
    init = Path(settings.BASE_DIR) / "deploy" / "postgres" / "initdb" / "10-app-role.sh"
    assert "CREATE ROLE kjfz_app LOGIN" in init.read_text()
