"""Monthly living allowances (SPEC §5, §9): exact rows, catch-up, termination, extension, policy versions,
idempotence — and on PostgreSQL two real processes at once and a run killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from subsidies.allowances import allowances_generate
from subsidies.models import AllowancePayment, AppointmentTerms
from subsidies.services import allowance_payables_prepare
from tests.factories.bulk import bulk_appointments
from tests.factories.subsidies import appointment, policy_version

D = Decimal
ROOT = Path(__file__).resolve().parents[2]


def rows(appt):
    return list(
        AllowancePayment.objects.filter(appointment=appt)
        .order_by("month", "kind")
        .values_list("month", "kind", "amount", "period_start", "period_end", "due_on", "budget_year")
    )


@pytest.mark.django_db
def test_generation_exact_rows_and_rerun():
    appt = appointment(start=date(2025, 1, 31))
    s = allowances_generate(as_of=date(2025, 4, 1))
    assert (s.created, s.already_present, s.appointments) == (4, 0, 1)
    assert rows(appt) == [
        (1, "district", D("2000.00"), date(2025, 1, 31), date(2025, 2, 27), date(2025, 2, 28), 2025),
        (1, "matching", D("2000.00"), date(2025, 1, 31), date(2025, 2, 27), date(2025, 2, 28), 2025),
        (2, "district", D("2000.00"), date(2025, 2, 28), date(2025, 3, 30), date(2025, 3, 31), 2025),
        (2, "matching", D("2000.00"), date(2025, 2, 28), date(2025, 3, 30), date(2025, 3, 31), 2025),
    ]
    again = allowances_generate(as_of=date(2025, 4, 1))
    assert (again.created, again.already_present, again.appointments) == (0, 4, 0)
    terms = AppointmentTerms.objects.get(appointment=appt)
    assert (terms.allowance_months, terms.allowance_next_end, terms.policy_version.code) == (
        2,
        date(2025, 4, 29),
        "2.0",
    )


@pytest.mark.django_db
def test_missed_months_are_caught_up_and_full_term_is_24():
    appt = appointment(start=date(2028, 2, 29))
    allowances_generate(as_of=date(2028, 5, 1))
    assert AllowancePayment.objects.filter(appointment=appt).count() == 4
    s = allowances_generate(as_of=date(2031, 1, 1))  # years of missed runs
    assert (s.created, s.already_present) == (44, 4)
    district = AllowancePayment.objects.filter(appointment=appt, kind="district")
    assert list(district.values_list("month", flat=True)) == list(range(1, 25))
    assert district.last().period_end == date(2030, 2, 27)
    assert AppointmentTerms.objects.get(appointment=appt).allowance_next_end is None


@pytest.mark.django_db
def test_month_is_paid_only_after_its_last_day():
    appt = appointment(start=date(2025, 3, 1))
    allowances_generate(as_of=date(2025, 3, 31))
    assert rows(appt) == []
    allowances_generate(as_of=date(2025, 4, 1))
    assert [r[0] for r in rows(appt)] == [1, 1]


@pytest.mark.django_db
def test_termination_mid_month_pays_completed_months_only():
    appt = appointment(start=date(2025, 3, 1), terminated_on=date(2025, 6, 15), state="terminated")
    s = allowances_generate(as_of=date(2026, 1, 1))
    assert s.created == 6
    assert sorted({r[0] for r in rows(appt)}) == [1, 2, 3]
    assert allowances_generate(as_of=date(2027, 1, 1)).created == 0
    assert AppointmentTerms.objects.get(appointment=appt).allowance_next_end is None


@pytest.mark.django_db
def test_termination_recorded_later_stops_generation():
    appt = appointment(start=date(2025, 3, 1))
    allowances_generate(as_of=date(2025, 5, 1))  # months 1, 2
    appt.terminated_on, appt.state = date(2025, 6, 10), "terminated"
    appt.save()
    s = allowances_generate(as_of=date(2025, 12, 1))
    assert (s.appointments, s.created) == (1, 2)  # month 3 ended 05-31, before the termination
    assert sorted({r[0] for r in rows(appt)}) == [1, 2, 3]


@pytest.mark.django_db
def test_extension_is_followed():
    appt = appointment(start=date(2025, 3, 1))
    allowances_generate(as_of=date(2028, 1, 1))
    assert AllowancePayment.objects.filter(appointment=appt).count() == 48
    appt.months = 30
    appt.save()
    s = allowances_generate(as_of=date(2028, 1, 1))
    assert (s.appointments, s.created) == (1, 12)
    assert (
        AllowancePayment.objects.filter(appointment=appt, kind="matching").order_by("-month").first().month
        == 30
    )


@pytest.mark.django_db
def test_amounts_follow_the_appointments_policy_version():
    v3 = policy_version(
        "3.0", date(2026, 1, 1), monthly_allowance=D("2500.00"), enterprise_matching=D("3000.00")
    )
    old = appointment(start=date(2025, 6, 1))
    new = appointment(start=date(2026, 2, 1))
    allowances_generate(as_of=date(2026, 3, 1))
    assert AppointmentTerms.objects.get(appointment=new).policy_version == v3
    assert set(AllowancePayment.objects.filter(appointment=old).values_list("kind", "amount")) == {
        ("district", D("2000.00")),
        ("matching", D("2000.00")),
    }
    assert set(AllowancePayment.objects.filter(appointment=new).values_list("kind", "amount")) == {
        ("district", D("2500.00")),
        ("matching", D("3000.00")),
    }


@pytest.mark.django_db
def test_unique_per_appointment_month_kind_in_database():
    appt = appointment(start=date(2025, 3, 1))
    allowances_generate(as_of=date(2025, 4, 1))
    # a copy of a generated month (all but its payment)
    copy = AllowancePayment.objects.filter(appointment=appt).values(
        "appointment_id", "month", "kind", "amount", "period_start", "period_end", "due_on", "budget_year"
    ).first()
    with pytest.raises(IntegrityError, match="allowance_unique_month_kind"), transaction.atomic():
        AllowancePayment.objects.create(**copy)


@pytest.mark.django_db
def test_command_prints_summary_and_prepares_payables():
    from io import StringIO

    appt = appointment(start=date(2025, 3, 1))
    out = StringIO()
    call_command("generate_allowances", "--as-of", "2025-06-01", stdout=out)
    assert out.getvalue().splitlines() == [
        "生活补贴生成（截至 2025-06-01）：新生成 6 条，已存在 0 条，处理聘任 1 个",
        "待支付款项：新登记 3 笔区级生活补贴",
    ]
    out = StringIO()
    call_command("generate_allowances", "--as-of", "2025-06-01", stdout=out)
    assert out.getvalue().splitlines() == [
        "生活补贴生成（截至 2025-06-01）：新生成 0 条，已存在 6 条，处理聘任 0 个",
        "待支付款项：新登记 0 笔区级生活补贴",
    ]
    payments = list(appt.expert.payments.order_by("due_on").values_list("amount", "purpose", "budget_year"))
    assert payments[0] == (D("2000.00"), "人才生活补贴（2025-03-01至2025-03-31，第1个服务月）", 2025)
    assert len(payments) == 3


def test_command_rejects_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD：2025-13-01"):
        call_command("generate_allowances", "--as-of", "2025-13-01")


@pytest.mark.django_db
def test_task_runs_inline():
    from subsidies.tasks import generate_allowances

    appointment(start=date(2025, 3, 1))
    # Called directly: .delay().get() in eager mode would pin Celery's (disabled) result backend for the
    # rest of the session and break the real-worker test in tests/core.
    result = generate_allowances("2025-05-01")
    assert result == {
        "as_of": "2025-05-01",
        "created": 4,
        "already_present": 0,
        "appointments": 1,
        "payables": 2,
    }


# --- PostgreSQL: real processes -------------------------------------------------------------------------


def _env():
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "x"),
        # manage.py runs the system checks, which require the keys once a model has an encrypted field.
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA=",
        "BLIND_INDEX_KEY": "test-only-blind-index-key",
    }
    env.pop("CELERY_BROKER_URL", None)
    return env


def _spawn(*args):
    return subprocess.Popen(
        [sys.executable, "manage.py", "generate_allowances", *args],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _waiting_on_lock(n: int, procs=(), timeout: float = 60) -> None:
    """Wait until `n` other backends are blocked on a lock (failing at once if a process died)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cur:
        while time.monotonic() < deadline:
            for p in procs:
                if p.poll() is not None:
                    raise AssertionError(f"process exited early: {p.communicate()}")
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cur.fetchone()[0] >= n:
                return
            time.sleep(0.05)
    raise AssertionError(f"{n} processes never blocked on a lock")


def _many(n, start=date(2025, 3, 1), starts=None):
    """`n` appointments starting on `start` (or one per entry of `starts`), made with bulk_create (see
    tests/factories/bulk.py for why)."""

    from enterprises.models import Enterprise, Industry
    from experts.models import Discipline, Institution

    inst = Institution.objects.get_or_create(name="并发测试大学", defaults={"is_985": True})[0]
    disc = Discipline.objects.get_or_create(code="CC01", defaults={"name": "并发测试学科"})[0]
    industry = Industry.objects.order_by("pk").first() or Industry.objects.create(
        code="cc", name="并发测试行业"
    )
    [ent] = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name="并发测试企业",
                uscc="91110114MA0CONC001",
                registered_address="昌平",
                industry=industry,
                size="small",
                contact_name="陈",
                contact_phone="13800000000",
                contact_email="c@example.cn",
                state="verified",
            )
        ]
    )
    return bulk_appointments(
        enterprise=ent,
        institution=inst,
        discipline=disc,
        starts=starts or [start] * n,
        expert_name="并发专家{i}",
        id_hash="conc-{i:04d}",
        title="并发项目{i}",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_generate_the_same_month_at_once():
    appts = _many(40)
    # Hold the allowance table so both processes reach their INSERT and wait; then let them race.
    from django.db import connections

    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cur:
        cur.execute("LOCK TABLE subsidies_allowancepayment IN SHARE ROW EXCLUSIVE MODE")
    procs = [_spawn("--as-of", "2027-03-01"), _spawn("--as-of", "2027-03-01")]
    try:
        _waiting_on_lock(2, procs)
    finally:
        blocker.rollback()
        blocker.close()
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    created = [int(o[0].split("新生成 ")[1].split(" 条")[0]) for o in outs]
    present = [int(o[0].split("已存在 ")[1].split(" 条")[0]) for o in outs]
    assert sum(created) == 40 * 48 and sorted(created)[0] == 0
    assert sorted(present) == [0, 40 * 48]
    assert AllowancePayment.objects.count() == 40 * 48
    dupes = (
        AllowancePayment.objects.values("appointment", "month", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not dupes.exists()
    for a in appts:
        assert list(
            AllowancePayment.objects.filter(appointment=a, kind="district")
            .order_by("month")
            .values_list("month", flat=True)
        ) == list(range(1, 25))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_killed_half_way_then_rerun_completes():
    appts = _many(40)
    # Hold one row of the third chunk uncommitted: the run commits chunks 1-2 and blocks in chunk 3.
    victim = appts[25]
    from django.db import connections

    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cur:
        cur.execute(
            "INSERT INTO subsidies_allowancepayment (appointment_id, month, kind, amount, period_start, "
            "period_end, due_on, budget_year, confirmation_reference, created_at) VALUES "
            "(%s, 1, 'district', 2000, '2025-03-01', '2025-03-31', '2025-04-01', 2025, '', now())",
            [victim.pk],
        )
    proc = _spawn("--as-of", "2027-03-01", "--chunk", "10")
    try:
        _waiting_on_lock(1, [proc])
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        blocker.rollback()
        blocker.close()
    assert proc.returncode == -signal.SIGKILL
    done = set(AllowancePayment.objects.values_list("appointment", flat=True).distinct())
    assert done == {a.pk for a in appts[:20]}  # two whole chunks, nothing of the third
    assert AllowancePayment.objects.count() == 20 * 48

    rerun = _spawn("--as-of", "2027-03-01", "--chunk", "10")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert (
        out.splitlines()[0] == "生活补贴生成（截至 2027-03-01）：新生成 960 条，已存在 960 条，处理聘任 20 个"
    )
    assert AllowancePayment.objects.count() == 40 * 48
    assert not (
        AllowancePayment.objects.values("appointment", "month", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert allowance_payables_prepare(through=date(2027, 3, 1)) == 0  # the command already did them


@pytest.mark.django_db
def test_stored_periods_equal_policy_service_months():
    from subsidies.policy import service_month

    starts = [
        date(2025, 1, 29),
        date(2025, 1, 30),
        date(2025, 1, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2028, 2, 29),
        date(2025, 8, 31),
        date(2025, 12, 31),
        date(2025, 3, 1),
    ]
    appts = [appointment(start=s) for s in starts]
    allowances_generate(as_of=date(2031, 1, 1))
    for appt in appts:
        stored = list(
            AllowancePayment.objects.filter(appointment=appt, kind="district")
            .order_by("month")
            .values_list("month", "period_start", "period_end", "due_on", "budget_year")
        )
        assert len(stored) == 24
        for n, first, last, due, year in stored:
            assert (first, last) == service_month(appt.start_date, n), (appt.start_date, n)
            assert due == last + timedelta(days=1) and year == due.year


# Starts on month ends of short and long months, leap days and mid-month; terms of 1, 7 and 24 months;
# terminations none, on the start day, on a month's last day, mid-month and after the term.
PARITY_STARTS = [
    date(2024, 1, 29), date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30),
    date(2024, 8, 31), date(2024, 11, 30), date(2024, 12, 31), date(2024, 6, 1), date(2024, 6, 15),
]
# An int is days after the start; ("month", n) is the last day of service month n (that month is paid).
PARITY_TERMS = [
    (1, None), (7, None), (24, None), (24, 0), (24, 45), (7, 100), (24, 400), (1, 800),
    (24, ("month", 1)), (24, ("month", 5)), (7, ("month", 7)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["database", "python"])
def test_generation_equals_policy_payable_count_run_after_run(engine, monkeypatch):
    """The PostgreSQL statement computes policy.payable_count and the next watermark in SQL (issue 20),
    the other databases in Python: run by run over 27 months, each appointment holds exactly the months
    payable_count gives, with the periods of policy.service_month, and the watermark the policy's next
    month end — month ends, leap days and terminations included."""
    from projects.models import Appointment
    from subsidies import allowances
    from subsidies.policy import add_months, payable_count, service_month

    if engine == "python":
        monkeypatch.setattr(allowances, "_generate_in_database", allowances._generate_in_python)
    cases = [(s, m, t) for s in PARITY_STARTS for m, t in PARITY_TERMS]
    appts = _many(len(cases), starts=[s for s, _, _ in cases])
    for appt, (start, months, offset) in zip(appts, cases, strict=True):
        if isinstance(offset, tuple):
            ended = add_months(start, offset[1]) - timedelta(days=1)
        else:
            ended = None if offset is None else start + timedelta(days=offset)
        Appointment.objects.filter(pk=appt.pk).update(months=months, terminated_on=ended)
        appt.months, appt.terminated_on = months, ended
    as_of = date(2024, 1, 1)
    while as_of < date(2026, 4, 1):
        allowances_generate(as_of=as_of)
        got = dict(
            AllowancePayment.objects.filter(kind="district")
            .values("appointment")
            .annotate(n=Count("id"))
            .values_list("appointment", "n")
        )
        marks = dict(AppointmentTerms.objects.values_list("appointment", "allowance_next_end"))
        for appt in appts:
            k = payable_count(appt.start_date, appt.months, as_of, appt.terminated_on)
            assert got.get(appt.pk, 0) == k, (as_of, appt.start_date, appt.months, appt.terminated_on)
            if appt.start_date >= as_of:  # not begun: no watermark yet
                continue
            next_end = add_months(appt.start_date, k + 1) - timedelta(days=1) if k < appt.months else None
            if next_end and appt.terminated_on and next_end > appt.terminated_on:
                next_end = None
            assert marks[appt.pk] == next_end, (as_of, appt.start_date, appt.months, appt.terminated_on)
        as_of += timedelta(days=17)
    for appt in appts:
        stored = AllowancePayment.objects.filter(appointment=appt, kind="matching").order_by("month")
        assert [(p.period_start, p.period_end) for p in stored] == [
            service_month(appt.start_date, p.month) for p in stored
        ]
