"""Load test (issue 11): gunicorn on loopback under wrk, 50 connections for 30 s, on the talent-pool list
and on the staff dashboard, with the generated province-scale data.

    make bench BENCH_ARGS=load          (needs wrk: apt-get install -y wrk)

Each request carries the session of one of 50 signed-in commission users (second factor passed); a
response other than 200 — a redirect to the login page included — counts as an error, as does a socket
error. Figures:

- load_errors: errors over both runs — target 0;
- load_rps: requests a second on the pool list — target at least 250 (issue 20);
- load_p99_ms: 99th percentile latency on the pool list — target at most 400 ms (issue 20);
- dashboard_load_rps / dashboard_load_p99_ms: the same on the dashboard — targets 100 and 1,000 ms.

Beside the figures it prints the CPU each request cost, split between gunicorn (its master and workers),
the PostgreSQL backends of the bench database and wrk, read from /proc before and after each wrk run,
and the machine's total (what other processes took shows as the rest). Each page gets 3 s of the same
load first, not counted, so the figures are the steady state rather than the workers' first requests.

gunicorn runs `BENCH_GUNICORN_WORKERS` (default 3: cores + 1 on the 2-core bench machine; 4 and 6 had
the same throughput and a longer tail, docs/scaling.md) gthread workers with 2 threads each, bound
to 127.0.0.1 on a free port, with persistent database connections (CONN_MAX_AGE=60); it is stopped at
the end. Nothing listens beyond loopback.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import emit, setup  # noqa: E402

DURATION = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "50"))
WARMUP = 3  # seconds of load before each measured run (issue 20: steady state, not the workers' start)
SESSIONS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, cookie: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(url, headers={"Cookie": cookie})
            # Our own http://127.0.0.1 URL (the gunicorn this bench started), never a user-given scheme.
            with urllib.request.urlopen(req, timeout=10) as resp:  # nosec B310
                if resp.status == 200 and resp.geturl() == url:
                    return
                last = f"{resp.status} {resp.geturl()}"
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not serve {url}: {last}")


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _machine_cpu() -> float:
    """CPU seconds spent by the whole machine (all cores, idle and iowait left out)."""
    try:
        parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    values = [int(v) for v in parts]
    return (sum(values) - values[3] - values[4]) / TICKS


def cpu_snapshot(server_pid: int | None, db_pids: list[int]) -> dict:
    import resource

    gunicorn = 0.0
    if server_pid:
        gunicorn = _proc_cpu(server_pid) + sum(_proc_cpu(c) for c in _children(server_pid))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once waited for
    return {
        "gunicorn": gunicorn,
        "postgres": {p: _proc_cpu(p) for p in db_pids},
        "wrk": usage.ru_utime + usage.ru_stime,
        "machine": _machine_cpu(),
    }


def db_backend_pids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def run_wrk(url: str, cookie_file: str, *, connections: int = CONNECTIONS, duration: int = DURATION,
            server_pid: int | None = None) -> dict:
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        url,
        "--",
        cookie_file,
    ]
    pids = db_backend_pids()
    before = cpu_snapshot(server_pid, pids)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    after = cpu_snapshot(server_pid, pids)
    figures = {k: int(v) for k, v in re.findall(r"^BENCH_(\w+) (\d+)$", out, re.M)}
    figures["rps"] = figures["REQUESTS"] / (figures["DURATION_US"] / 1e6)
    n = max(figures["REQUESTS"], 1)
    # A backend that ended during the run (a worker's connection closed) takes its CPU with it: only the
    # backends alive at both ends are counted (never a negative figure).
    alive = [p for p in pids if after["postgres"][p] > 0]
    before["postgres"] = sum(before["postgres"][p] for p in alive)
    after["postgres"] = sum(after["postgres"][p] for p in alive)
    figures["cpu_ms"] = {k: (after[k] - before[k]) * 1000 / n for k in before}
    return figures


def cpu_line(label: str, figures: dict) -> str:
    c = figures["cpu_ms"]
    rest = c["machine"] - c["gunicorn"] - c["postgres"] - c["wrk"]
    return (
        f"# {label} CPU per request: gunicorn {c['gunicorn']:.2f} ms, PostgreSQL {c['postgres']:.2f} ms, "
        f"wrk {c['wrk']:.2f} ms; machine {c['machine']:.2f} ms (other processes {rest:.2f} ms)"
    )


def start_gunicorn(port: int, *, workers: str, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"), "DEBUG": "0"}
    env.update(extra_env or {})
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "warning",
            "--keep-alive",
            "5",
        ],
        cwd=ROOT,
        env=env,
    )


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> int:
    if not shutil.which("wrk"):
        note = "wrk not installed (apt-get install -y wrk)"
        for name, unit, target in (
            ("load_errors", "errors", 0),
            ("load_rps", "req/s", 250),
            ("load_p99_ms", "ms", 400),
            ("dashboard_load_rps", "req/s", 100),
            ("dashboard_load_p99_ms", "ms", 1000),
        ):
            emit(name, None, unit, target=target, ok=False, note=note)
        return 0
    setup()
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from bench.staff import commission_user, session_cookie, signed_in_client
    from experts.models import Expert

    user = commission_user()
    cookies = [session_cookie(signed_in_client(user)) for _ in range(SESSIONS)]
    top = (
        Expert.objects.filter(in_pool=True)
        .values("discipline")
        .annotate(n=Count("id"))
        .order_by("-n", "discipline")[0]
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    pool_url = f"{base}{reverse('experts:expert-list')}?discipline={top['discipline']}"
    try:
        dashboard_url = f"{base}{reverse('dashboard:index')}"
    except NoReverseMatch:
        dashboard_url = None

    workers = os.environ.get("BENCH_GUNICORN_WORKERS", "3")
    server = start_gunicorn(port, workers=workers)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(cookies) + "\n")
        cookie_file = fh.name
    try:
        wait_ready(pool_url, cookies[0])
        # a few seconds first, not counted: every worker thread connected, its templates compiled
        run_wrk(pool_url, cookie_file, duration=WARMUP, server_pid=server.pid)
        pool = run_wrk(pool_url, cookie_file, server_pid=server.pid)
        dash = None
        if dashboard_url:
            wait_ready(dashboard_url, cookies[0])
            run_wrk(dashboard_url, cookie_file, duration=WARMUP, server_pid=server.pid)
            dash = run_wrk(dashboard_url, cookie_file, server_pid=server.pid)
    finally:
        stop(server)
        os.unlink(cookie_file)

    errors = pool["NON200"] + pool["SOCKET_ERRORS"]
    line = (
        f"# pool list: {pool['REQUESTS']} requests in {DURATION} s, {pool['rps']:.1f} req/s, "
        f"p50 {pool['P50_US'] / 1000:.1f} ms, p99 {pool['P99_US'] / 1000:.1f} ms, "
        f"non-200 {pool['NON200']}, socket errors {pool['SOCKET_ERRORS']}; gunicorn {workers}x2 gthread, "
        f"{CONNECTIONS} connections"
    )
    line += "\n" + cpu_line("pool list", pool)
    note = ""
    if dash:
        errors += dash["NON200"] + dash["SOCKET_ERRORS"]
        line += (
            f"\n# dashboard: {dash['REQUESTS']} requests, {dash['rps']:.1f} req/s, p99 "
            f"{dash['P99_US'] / 1000:.1f} ms, non-200 {dash['NON200']}, socket errors {dash['SOCKET_ERRORS']}"
        )
        line += "\n" + cpu_line("dashboard", dash)
    else:
        note = "dashboard not present: pool list only"
    print(line, flush=True)
    emit("load_errors", errors, "errors", target=0, note=note)
    emit("load_rps", pool["rps"], "req/s", target=250, higher_is_better=True)
    emit("load_p99_ms", pool["P99_US"] / 1000, "ms", target=400)
    if dash:
        emit("dashboard_load_rps", dash["rps"], "req/s", target=100, higher_is_better=True)
        emit("dashboard_load_p99_ms", dash["P99_US"] / 1000, "ms", target=1000)
    else:
        emit("dashboard_load_rps", None, "req/s", target=100, ok=False, note="dashboard not present")
        emit("dashboard_load_p99_ms", None, "ms", target=1000, ok=False, note="dashboard not present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
