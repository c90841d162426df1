"""Monthly living allowance generation (policy 五(二)2, SPEC §5 and §9).

For every completed service month of every appointment, one district payment to the expert and one
enterprise matching obligation, both 2,000.00 under policy 2.0 (the appointment's policy version decides).

Idempotence and concurrency come from the database: AllowancePayment is unique per (appointment, month,
kind) and rows are inserted with ON CONFLICT DO NOTHING, so two runs at once, a rerun, or a rerun after
a crash never duplicate a row. Work is committed in chunks of appointments; each chunk's watermark
(AppointmentTerms) is updated in the same transaction as its rows, so a run killed half-way leaves whole
chunks done, and the next run picks up exactly the appointments that are not up to date — selected in
SQL, so a rerun in the same month touches no appointment at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from projects.models import Appointment

from .enums import AllowanceKind
from .golive import go_live_date
from .models import AppointmentTerms, PolicyVersion
from .policy import add_months, payable_count

log = logging.getLogger(__name__)

# Appointments per transaction. Each commit waits for the WAL to reach the disk (~15 ms here): 5,000
# keeps a run of 10,000 appointments to two commits while a crash still leaves whole chunks done.
CHUNK = 5000


@dataclass
class GenerationSummary:
    as_of: date
    appointments: int = 0  # appointments examined (not up to date before the run)
    created: int = 0  # rows inserted by this run
    already_present: int = 0  # rows due by as_of that existed before (found by conflict or up to date)

    def __str__(self) -> str:
        return (
            f"生活补贴生成（截至 {self.as_of:%Y-%m-%d}）：新生成 {self.created} 条，"
            f"已存在 {self.already_present} 条，处理聘任 {self.appointments} 个"
        )


def _candidates(as_of: date):
    """Appointments that may need rows: no terms yet, a next month completed by as_of, or the term's
    length or termination changed since the last run."""
    return (
        Appointment.objects.filter(start_date__lt=as_of)
        .filter(
            Q(subsidy_terms__isnull=True)
            | Q(subsidy_terms__allowance_next_end__lt=as_of)
            | ~Q(subsidy_terms__months_seen=F("months"))
            | Q(subsidy_terms__months_seen__isnull=True)
            | (Q(terminated_on__isnull=False) & Q(subsidy_terms__terminated_on_seen__isnull=True))
            | (Q(terminated_on__isnull=False) & ~Q(subsidy_terms__terminated_on_seen=F("terminated_on")))
        )
        .order_by("pk")
    )


def _ensure_terms(appointment_ids: list[int]) -> None:
    """Terms for appointments made before the subsidies app was wired (policy in force at the start)."""
    missing = Appointment.objects.filter(pk__in=appointment_ids, subsidy_terms__isnull=True).values_list(
        "pk", "start_date"
    )
    if not missing:
        return
    versions = list(PolicyVersion.objects.order_by("-effective_from"))
    rows = []
    for pk, start in missing:
        version = next((v for v in versions if v.effective_from <= start), versions[-1])
        rows.append(AppointmentTerms(appointment_id=pk, policy_version=version))
    AppointmentTerms.objects.bulk_create(rows, ignore_conflicts=True)


def _month_end(start: date, n: int) -> date:
    return add_months(start, n) - timedelta(days=1)


def _pg_array(values) -> str:
    """A PostgreSQL array literal of ints/dates/None, e.g. "{1,2,NULL}" (plain values only): much cheaper
    for tens of thousands of elements than adapting a Python list element by element."""
    return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"


# PostgreSQL: one statement per chunk does the whole work in the database — which months each appointment
# has completed (policy.payable_count, written in SQL), their rows, and the watermark — so 10,000
# appointments cost two statements and no Python loop (issue 20: within 1.5x of a bare INSERT … SELECT).
# In `p`, `k` is payable_count: the whole months from the start to the limit (as_of, or the day after the
# last day served), one less when the start + k months passes the limit, clamped to 0..months; PostgreSQL's
# month arithmetic clamps to the month's end exactly as policy.add_months (tests compare them day by day).
_GENERATE_SQL = """
WITH p AS MATERIALIZED (
    SELECT c.*, GREATEST(0, LEAST(c.months, m.k0 - CASE
        WHEN m.k0 > 0 AND (c.start_date + m.k0 * interval '1 month')::date > c.lim THEN 1 ELSE 0 END)) AS k
    FROM (SELECT a.id, a.start_date, a.months, a.terminated_on, t.id AS terms_id, t.allowance_months AS done,
                 pv.monthly_allowance AS district, pv.enterprise_matching AS matching,
                 LEAST(%(as_of)s::date, a.terminated_on + 1) AS lim
          FROM projects_appointment a
          JOIN subsidies_appointmentterms t ON t.appointment_id = a.id
          JOIN subsidies_policyversion pv ON pv.id = t.policy_version_id
          WHERE a.id = ANY(%(ids)s::bigint[])) AS c
    CROSS JOIN LATERAL (
        SELECT ((extract(year FROM c.lim) - extract(year FROM c.start_date)) * 12
                + extract(month FROM c.lim) - extract(month FROM c.start_date))::int AS k0
    ) AS m
),
ins AS (
    INSERT INTO subsidies_allowancepayment (appointment_id, month, kind, amount, period_start, period_end,
                                            due_on, budget_year, confirmation_reference, created_at,
                                            settled_outside)
    SELECT p.id, g.n, k.kind, CASE k.kind WHEN 'district' THEN p.district ELSE p.matching END,
           (p.start_date + (g.n - 1) * interval '1 month')::date,
           (p.start_date + g.n * interval '1 month' - interval '1 day')::date,
           (p.start_date + g.n * interval '1 month')::date,
           extract(year FROM p.start_date + g.n * interval '1 month')::int, '', %(now)s,
           COALESCE((p.start_date + g.n * interval '1 month' - interval '1 day')::date < %(go_live)s::date,
                    false)
    FROM p
    CROSS JOIN LATERAL generate_series(p.done + 1, p.k) AS g(n)
    CROSS JOIN (VALUES ('district'), ('matching')) AS k(kind)
    ORDER BY p.id, g.n, k.kind
    ON CONFLICT (appointment_id, month, kind) DO NOTHING
    RETURNING 1
),
w AS (
    SELECT p.terms_id, p.months, p.terminated_on, GREATEST(p.k, p.done) AS n,
           (p.start_date + (GREATEST(p.k, p.done) + 1) * interval '1 month' - interval '1 day')::date
               AS next_end
    FROM p
),
upd AS (
    UPDATE subsidies_appointmentterms AS t
    SET allowance_months = GREATEST(t.allowance_months, w.n),
        allowance_next_end = CASE WHEN w.n + 1 > w.months OR w.next_end > w.terminated_on THEN NULL
                                  ELSE w.next_end END,
        months_seen = w.months, terminated_on_seen = w.terminated_on
    FROM w
    WHERE t.id = w.terms_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins),
       COALESCE(sum(2 * GREATEST(0, p.k - p.done)), 0),
       COALESCE(sum(p.done), 0),
       COALESCE(sum(2 * LEAST(p.done, p.k)), 0),
       (SELECT count(*) FROM upd)
FROM p
"""


#: SQLite (the embedded demo): the same ON CONFLICT DO NOTHING with RETURNING (SQLite >= 3.35), in
#: statements of at most 50 rows (11 parameters each, under SQLite's 999-parameter limit).
_SQLITE_INSERT = (
    "INSERT INTO subsidies_allowancepayment (appointment_id, month, kind, amount, period_start, period_end, "
    "due_on, budget_year, confirmation_reference, created_at, settled_outside) VALUES {values} "
    "ON CONFLICT (appointment_id, month, kind) DO NOTHING RETURNING 1"
)
_SQLITE_ROWS = 50


def _insert(spans: list[tuple[int, int, int, date, Decimal, Decimal]], *, go_live: date | None = None) -> int:
    """SQLite: insert months first..last of each (appointment, first, last, start, district, matching) with
    ON CONFLICT DO NOTHING; returns the number of rows this statement really inserted (counted from
    RETURNING, so a concurrent run's rows are never counted twice). A month whose last day is before
    `go_live` is recorded as settled outside the portal (SPEC §5)."""
    if not spans:
        return 0
    rows = []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for pk, first, last, start, district, matching in spans:
        for n in range(first, last + 1):
            p_end = _month_end(start, n)
            due = p_end + timedelta(days=1)
            settled = go_live is not None and p_end < go_live
            common = (n, add_months(start, n - 1), p_end, due, due.year, "", now, settled)
            rows.append((pk, *common[:1], AllowanceKind.DISTRICT.value, district, *common[1:]))
            rows.append((pk, *common[:1], AllowanceKind.MATCHING.value, matching, *common[1:]))
    inserted = 0
    with connection.cursor() as cur:
        for i in range(0, len(rows), _SQLITE_ROWS):
            batch = rows[i : i + _SQLITE_ROWS]
            values = ",".join(["(" + ",".join(["%s"] * 11) + ")"] * len(batch))
            cur.execute(
                _SQLITE_INSERT.format(values=values),
                [v for row in batch for v in row],
            )
            inserted += len(cur.fetchall())
    return inserted


def _update_terms(updates: list[tuple]) -> None:
    """SQLite: (terms_id, allowance_months, next_end, months_seen, terminated_on_seen) per row."""
    if not updates:
        return
    for tid, n, next_end, ms, ts in updates:
        AppointmentTerms.objects.filter(pk=tid).update(
            allowance_months=n, allowance_next_end=next_end, months_seen=ms, terminated_on_seen=ts
        )


def allowances_generate(
    *, as_of: date | None = None, chunk: int = CHUNK, after_chunk=None
) -> GenerationSummary:
    """Create every allowance row due by `as_of` (default today) that does not exist yet."""
    as_of = as_of or timezone.localdate()
    go_live = go_live_date()
    summary = GenerationSummary(as_of=as_of)
    missing_terms = list(_candidates(as_of).filter(subsidy_terms__isnull=True).values_list("pk", flat=True))
    for i in range(0, len(missing_terms), chunk):
        with transaction.atomic():
            _ensure_terms(missing_terms[i : i + chunk])
    before_total = (
        AppointmentTerms.objects.filter(appointment__start_date__lt=as_of).aggregate(
            n=Sum("allowance_months")
        )["n"]
        or 0
    )
    generate = _generate_in_database if connection.vendor == "postgresql" else _generate_in_python
    done_in_candidates = generate(summary, go_live=go_live, chunk=chunk, after_chunk=after_chunk)
    # Appointments skipped as up to date: their due rows are already there (2 per generated month).
    summary.already_present += 2 * max(0, before_total - done_in_candidates)
    log.info("%s", summary)
    return summary


def _generate_in_database(summary: GenerationSummary, *, go_live, chunk: int, after_chunk) -> int:
    """PostgreSQL: one statement per chunk of candidates (_GENERATE_SQL); returns the months the
    candidates had before the run."""
    ids = list(_candidates(summary.as_of).values_list("pk", flat=True))
    summary.appointments = len(ids)
    done_in_candidates = 0
    for i in range(0, len(ids), chunk):
        # The chunk's rows and its watermarks commit together: a crash leaves whole chunks done.
        with transaction.atomic(), connection.cursor() as cur:
            # generate_series is estimated at 1,000 rows per appointment, which makes the planner
            # JIT-compile the statement (seconds of LLVM work for a few thousand rows); JIT never pays here.
            cur.execute("SET LOCAL jit = off")
            cur.execute(
                _GENERATE_SQL,
                {
                    "as_of": summary.as_of,
                    "ids": _pg_array(ids[i : i + chunk]),
                    "now": timezone.now(),
                    "go_live": go_live,
                },
            )
            created, attempted, done, present, _ = cur.fetchone()
        summary.created += created
        summary.already_present += present + attempted - created
        done_in_candidates += done
        if after_chunk is not None:
            after_chunk(i // chunk)
    return done_in_candidates


def _generate_in_python(summary: GenerationSummary, *, go_live, chunk: int, after_chunk) -> int:
    """Other databases (the embedded SQLite demo): the months computed by policy.payable_count in Python,
    inserted and watermarked per chunk; returns the months the candidates had before the run."""
    as_of = summary.as_of
    # One read of every appointment that is not up to date. A concurrent run may have moved a watermark
    # since: the rows it made are then skipped by ON CONFLICT, and the watermark only ever grows.
    data = list(
        _candidates(as_of).values_list(
            "pk",
            "start_date",
            "months",
            "terminated_on",
            "subsidy_terms__id",
            "subsidy_terms__allowance_months",
            "subsidy_terms__policy_version__monthly_allowance",
            "subsidy_terms__policy_version__enterprise_matching",
        )
    )
    summary.appointments = len(data)
    done_in_candidates = 0
    for i in range(0, len(data), chunk):
        spans, updates, attempted = [], [], 0
        for pk, start, months, terminated_on, terms_id, done, district, matching in data[i : i + chunk]:
            k = payable_count(start, months, as_of, terminated_on)
            if k > done:
                spans.append((pk, done + 1, k, start, district, matching))
            attempted += 2 * max(0, k - done)
            done_in_candidates += done
            summary.already_present += 2 * min(done, k)
            n_next = max(k, done) + 1
            next_end = _month_end(start, n_next) if n_next <= months else None
            if next_end is not None and terminated_on is not None and next_end > terminated_on:
                next_end = None
            updates.append((terms_id, max(k, done), next_end, months, terminated_on))
        # The chunk's rows and its watermarks commit together: a crash leaves whole chunks done.
        with transaction.atomic():
            created = _insert(spans, go_live=go_live)
            _update_terms(updates)
        summary.created += created
        summary.already_present += attempted - created
        if after_chunk is not None:
            after_chunk(i // chunk)
    return done_in_candidates
