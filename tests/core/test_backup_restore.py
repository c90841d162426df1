"""Issue 18 item 7 — the backup and restore drill on a tiny database: `scripts/backup.sh` (what
`make backup` runs) dumps the test database and the uploads, `scripts/restore.sh` restores them into a new
database, `verify_audit` passes there, and every table has the same number of rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from core.audit import audit
from tests.factories.accounts import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


# serialized_rollback: the flush after a plain transactional test re-creates the content types under new ids,
# and the next serialized_rollback test (tests/core/test_celery.py) then failed to load its own (duplicate
# key on django_content_type) — whenever tests/core ran without the suites before it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_a_new_database_that_verifies(tmp_path, settings):
    media = tmp_path / "uploads"
    (media / "experts" / "2026").mkdir(parents=True)
    (media / "experts" / "2026" / "resume.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    user = UserFactory(username="drill")
    for i in range(5):
        audit(user, "drill.event", summary=f"第{i}条")
    source = connection.settings_dict["NAME"]
    target = f"{source}_drill"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}"')
    try:
        env = os.environ | {"DATABASE_URL": _url(source), "MEDIA_ROOT": str(media),
                            "BACKUP_DIR": str(tmp_path / "backups")}
        backup = subprocess.run(["bash", "scripts/backup.sh"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
        assert backup.returncode == 0, backup.stderr
        assert "escrow the keys" in backup.stderr
        (made,) = list((tmp_path / "backups").iterdir())
        assert {p.name for p in made.iterdir()} == {"db.dump", "media.tar.gz", "SHA256SUMS"}

        restored_media = tmp_path / "restored-uploads"
        restore = subprocess.run(["bash", "scripts/restore.sh", str(made), _url(target), str(restored_media)],
                                 cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert restore.returncode == 0, restore.stderr
        assert (restored_media / "experts" / "2026" / "resume.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"

        verify = subprocess.run(
            [sys.executable, "manage.py", "verify_audit"], cwd=ROOT, capture_output=True, text=True,
            timeout=300,
            env=os.environ
            | {"DATABASE_URL": _url(target), "DEBUG": "1", "AUDIT_ANCHOR_DIR": str(tmp_path / "anchors")},
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
        original, copy = _counts(_url(source)), _counts(_url(target))
        assert original == copy
        assert copy["core_auditevent"] >= 5 and copy["accounts_user"] >= 1
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
