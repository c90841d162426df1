"""Shared set-up for benchmark scripts: Django on the bench database, timing, JSON output.

    from bench.common import setup, median_ms, emit
    setup()                       # django.setup(), creates and migrates the bench database
    emit("letter_pdf_ms", median_ms(render_one, repeat=20), "ms", target=200)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(*, migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    import django

    django.setup()
    if migrate:
        _ensure_database()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def vacuum_analyze() -> None:
    """VACUUM ANALYZE the bench database (dead tuples gone, planner statistics fresh), as autovacuum
    keeps a production server; a no-op on SQLite."""
    setup(migrate=False)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # autocommit: VACUUM cannot run in a transaction block


def _ensure_database() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg

    name = connection.settings_dict["NAME"]
    params = {k: v for k, v in {
        "host": connection.settings_dict.get("HOST") or None,
        "port": connection.settings_dict.get("PORT") or None,
        "user": connection.settings_dict.get("USER") or None,
        "password": connection.settings_dict.get("PASSWORD") or None,
    }.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')


def median_ms(fn, *, repeat: int = 20, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def emit(name: str, median: float | None, unit: str, *, target: float, higher_is_better: bool = False,
         ok: bool | None = None, note: str = "") -> dict:
    """Print one figure as a JSON line; `ok` defaults to the median against the target."""
    if ok is None:
        ok = median is not None and (median >= target if higher_is_better else median <= target)
    row = {"name": name, "median": None if median is None else round(median, 3), "unit": unit,
           "target": target, "ok": bool(ok)}
    if note:
        row["note"] = note
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row
