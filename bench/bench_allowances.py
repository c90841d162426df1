"""Benchmark of the monthly allowance generation (issue 7).

    DATABASE_URL=postgres://…/kjfz_bench .venv/bin/python bench/bench_allowances.py

10,000 appointments, each with exactly one completed service month on the run date: one generation
creates 20,000 rows (district allowance + enterprise matching). Timed beside a hand-written
INSERT … SELECT … ON CONFLICT DO NOTHING of the same rows on the same database in the same run, both on
an empty table ("fresh") and again with every row present ("rerun"). Target: within 3× of the statement.
The generation also maintains its per-appointment watermark (10,000 rows of AppointmentTerms), which
the statement does not; on a rerun the watermark lets it skip every appointment in SQL.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import emit, setup

N = 10_000
REPEAT = 7

RAW = """
INSERT INTO subsidies_allowancepayment (appointment_id, month, kind, amount, period_start, period_end, due_on,
                                        budget_year, confirmation_reference, created_at)
SELECT a.id, 1, k.kind, 2000.00, a.start_date,
       (a.start_date + interval '1 month' - interval '1 day')::date,
       (a.start_date + interval '1 month')::date,
       extract(year FROM a.start_date + interval '1 month')::int, '', now()
FROM projects_appointment a CROSS JOIN (VALUES ('district'), ('matching')) AS k(kind)
WHERE a.start_date < %s
ON CONFLICT (appointment_id, month, kind) DO NOTHING
"""


def build(as_of):
    """10,000 appointments starting 2026-10-02 … 10-31 (exactly month 1 completed on 2026-12-01)."""
    from datetime import date, timedelta

    from enterprises.models import Enterprise, Industry
    from experts.models import Discipline, Institution
    from projects.models import Appointment
    from subsidies.models import AppointmentTerms
    from subsidies.selectors import policy_version_in_force
    from tests.factories.bulk import bulk_appointments

    if Appointment.objects.filter(project__title__startswith="BENCH-").count() == N:
        return
    inst = Institution.objects.get_or_create(name="基准测试大学", defaults={"is_985": True})[0]
    disc = Discipline.objects.get_or_create(code="BENCH", defaults={"name": "基准学科"})[0]
    industry = Industry.objects.order_by("pk").first() or Industry.objects.create(
        code="bench", name="基准行业"
    )
    ent = Enterprise.objects.get_or_create(
        name="基准测试企业",
        defaults={
            "uscc": "91110114MA0BENCH01",
            "registered_address": "昌平",
            "industry": industry,
            "size": "small",
            "contact_name": "陈",
            "contact_phone": "13800000000",
            "contact_email": "b@example.cn",
            "state": "verified",
        },
    )[0]
    starts = [date(2026, 10, 2) + timedelta(days=i % 30) for i in range(N)]
    appts = bulk_appointments(
        enterprise=ent,
        institution=inst,
        discipline=disc,
        starts=starts,
        expert_name="专家{i}",
        id_hash="bench-{i:06d}",
        title="BENCH-{i}",
    )
    version = policy_version_in_force(as_of)
    AppointmentTerms.objects.bulk_create(
        [AppointmentTerms(appointment=a, policy_version=version) for a in appts], batch_size=2000
    )


def reset(cursor, *, terms: bool):
    cursor.execute("DELETE FROM subsidies_allowancepayment")
    if terms:
        cursor.execute(
            "UPDATE subsidies_appointmentterms SET allowance_months = 0, allowance_next_end = NULL, "
            "months_seen = NULL, terminated_on_seen = NULL"
        )
    cursor.execute("VACUUM ANALYZE subsidies_allowancepayment")
    cursor.execute("VACUUM ANALYZE subsidies_appointmentterms")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def own_database() -> None:
    """Run on `<bench database>_allowances`: the generation counts every appointment of its database, and
    the bench database holds the generated province data (issue 11) beside these 10,000."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "kjfz_bench"
        if not name.endswith("_allowances"):
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}_allowances"))


def main() -> int:
    own_database()
    setup()
    from datetime import date

    from django.db import connection

    from subsidies.allowances import allowances_generate
    from subsidies.models import AllowancePayment

    as_of = date(2026, 12, 1)
    build(as_of)
    gen, gen_rerun, raw, raw_rerun = [], [], [], []
    with connection.cursor() as cur:
        # The table must be empty of other rows; the bench database is the bench's own.
        for _ in range(REPEAT):
            reset(cur, terms=True)
            s = {}
            gen.append(timed(lambda s=s: s.update(r=allowances_generate(as_of=as_of))))
            assert s["r"].created == 2 * N, s["r"]
            assert AllowancePayment.objects.count() == 2 * N
            gen_rerun.append(timed(lambda s=s: s.update(r=allowances_generate(as_of=as_of))))
            assert s["r"].created == 0 and s["r"].already_present == 2 * N, s["r"]

            reset(cur, terms=False)
            raw.append(timed(lambda: cur.execute(RAW, [as_of])))
            assert cur.rowcount == 2 * N
            raw_rerun.append(timed(lambda: cur.execute(RAW, [as_of])))
            assert cur.rowcount == 0
        connection.commit() if not connection.get_autocommit() else None
    g, gr, r, rr = (statistics.median(x) for x in (gen, gen_rerun, raw, raw_rerun))
    print(
        f"# generation fresh {g:.1f} ms, rerun {gr:.1f} ms; "
        f"raw INSERT…SELECT fresh {r:.1f} ms, rerun {rr:.1f} ms",
        flush=True,
    )
    emit("allowances_generate_ms", g, "ms", target=round(3 * r, 1))
    emit("allowances_vs_raw_ratio", g / r, "x", target=1.5)  # issue 20 (was 3)
    emit("allowances_rerun_ms", gr, "ms", target=round(3 * rr, 1))
    emit("allowances_rerun_vs_raw_ratio", gr / rr, "x", target=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
