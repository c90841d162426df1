"""Load test (issue 11): gunicorn on loopback under wrk, 50 connections for 30 s, on the talent-pool list
and on the staff dashboard, with the generated province-scale data.

    make bench BENCH_ARGS=load          (needs wrk: apt-get install -y wrk)

Each request carries the session of one of 50 signed-in commission users (second factor passed); a
response other than 200 — a redirect to the login page included — counts as an error, as does a socket
error. Figures:

- load_errors: errors over both runs — target 0;
- load_rps: requests a second on the pool list — target at least 100;
- load_p99_ms: 99th percentile latency on the pool list (the dashboard's is printed beside it) —
  reported; the target of 1,000 ms only flags a collapse.

gunicorn runs `BENCH_GUNICORN_WORKERS` (default 4) sync-less gthread workers with 2 threads each, bound
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
CONNECTIONS = 50
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


def run_wrk(url: str, cookie_file: str) -> dict:
    cmd = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        url,
        "--",
        cookie_file,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    figures = {k: int(v) for k, v in re.findall(r"^BENCH_(\w+) (\d+)$", out, re.M)}
    figures["rps"] = figures["REQUESTS"] / (figures["DURATION_US"] / 1e6)
    return figures


def main() -> int:
    if not shutil.which("wrk"):
        note = "wrk not installed (apt-get install -y wrk)"
        for name, unit, target in (
            ("load_errors", "errors", 0),
            ("load_rps", "req/s", 100),
            ("load_p99_ms", "ms", 1000),
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

    workers = os.environ.get("BENCH_GUNICORN_WORKERS", "4")
    env = {**os.environ, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"), "DEBUG": "0"}
    server = subprocess.Popen(
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
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(cookies) + "\n")
        cookie_file = fh.name
    try:
        wait_ready(pool_url, cookies[0])
        pool = run_wrk(pool_url, cookie_file)
        dash = None
        if dashboard_url:
            wait_ready(dashboard_url, cookies[0])
            dash = run_wrk(dashboard_url, cookie_file)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        os.unlink(cookie_file)

    errors = pool["NON200"] + pool["SOCKET_ERRORS"]
    line = (
        f"# pool list: {pool['REQUESTS']} requests in {DURATION} s, {pool['rps']:.1f} req/s, "
        f"p50 {pool['P50_US'] / 1000:.1f} ms, p99 {pool['P99_US'] / 1000:.1f} ms, "
        f"non-200 {pool['NON200']}, socket errors {pool['SOCKET_ERRORS']}; gunicorn {workers}x2 gthread"
    )
    note = ""
    if dash:
        errors += dash["NON200"] + dash["SOCKET_ERRORS"]
        line += (
            f"\n# dashboard: {dash['REQUESTS']} requests, {dash['rps']:.1f} req/s, p99 "
            f"{dash['P99_US'] / 1000:.1f} ms, non-200 {dash['NON200']}, socket errors {dash['SOCKET_ERRORS']}"
        )
    else:
        note = "dashboard not present: pool list only"
    print(line, flush=True)
    emit("load_errors", errors, "errors", target=0, note=note)
    emit("load_rps", pool["rps"], "req/s", target=100, higher_is_better=True)
    emit(
        "load_p99_ms",
        pool["P99_US"] / 1000,
        "ms",
        target=1000,
        note=f"dashboard p99 {dash['P99_US'] / 1000:.1f} ms" if dash else "",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
