"""What each throughput lever of issue 20 saves, measured lever by lever (not part of `make bench`).

    DATABASE_URL=… REDIS_URL=… .venv/bin/python bench/levers.py [lever …] [--rounds 3] [--seconds 8]
        [--connections 10] [--no-load]

For each lever the same measurements run with the lever off and on, alternately (off, on, off, on …), so
both see the same machine: a busy shared machine inflates both alike and the medians compare.

- in process: the pool list and the dashboard through Django's test client, median wall ms and median
  CPU ms of the thread (Python's share) over 15 requests, and the SQL queries of one (settings switched
  in process);
- under load (unless --no-load): gunicorn started with the lever's environment, wrk on each page for a
  few seconds; requests/s, p99, and the CPU per request of gunicorn, PostgreSQL and wrk (bench_load).

Levers: session (SESSION_TOUCH_SECONDS 0 → 60), menu (CACHE_MENU), choices (CACHE_CHOICES), dashboard
(CACHE_DASHBOARD), otp (CACHE_OTP_DEVICE), pool (CACHE_POOL), sessioncache (CACHE_SESSION: only the load run
sees it, the session engine is chosen at start), templates (TEMPLATE_CACHE: only the load run sees it, the
engine is built at start), all (every one of them off → on).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import free_port, run_wrk, start_gunicorn, stop, wait_ready  # noqa: E402
from bench.common import setup  # noqa: E402

LEVERS = {
    "session": ({"SESSION_TOUCH_SECONDS": "0"}, {"SESSION_TOUCH_SECONDS": "60"}),
    "menu": ({"CACHE_MENU": "0"}, {"CACHE_MENU": "1"}),
    "choices": ({"CACHE_CHOICES": "0"}, {"CACHE_CHOICES": "1"}),
    "dashboard": ({"CACHE_DASHBOARD": "0"}, {"CACHE_DASHBOARD": "1"}),
    "templates": ({"TEMPLATE_CACHE": "0"}, {"TEMPLATE_CACHE": "1"}),
    "otp": ({"CACHE_OTP_DEVICE": "0"}, {"CACHE_OTP_DEVICE": "1"}),
    "pool": ({"CACHE_POOL": "0"}, {"CACHE_POOL": "1"}),
    "sessioncache": ({"CACHE_SESSION": "0"}, {"CACHE_SESSION": "1"}),
}
LEVERS["all"] = (
    {k: v for off, _on in LEVERS.values() for k, v in off.items()},
    {k: v for _off, on in LEVERS.values() for k, v in on.items()},
)
SETTING = {"SESSION_TOUCH_SECONDS": int, "CACHE_MENU": bool, "CACHE_CHOICES": bool, "CACHE_DASHBOARD": bool,
           "CACHE_OTP_DEVICE": bool, "CACHE_POOL": bool}


def _as_settings(env: dict) -> dict:
    out = {}
    for key, value in env.items():
        if key in SETTING:
            out[key] = int(value) if SETTING[key] is int else value == "1"
    return out


def in_process(urls: dict, env: dict, client) -> dict:
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    out = {}
    with override_settings(**_as_settings(env)):
        for name, url in urls.items():
            for _ in range(3):
                assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            queries = len(ctx.captured_queries)  # now: the next request clears the log
            samples, cpu = [], []
            for _ in range(15):
                start, start_cpu = time.perf_counter(), time.thread_time()
                client.get(url)
                samples.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)
            # wall time waits for PostgreSQL, Redis and every other process of a shared machine; the thread's
            # CPU time is what this request cost Python, and moves much less with the machine's load
            out[name] = {
                "ms": statistics.median(samples), "cpu_ms": statistics.median(cpu), "queries": queries,
            }
    return out


def under_load(urls: dict, env: dict, cookie_file: str, cookie: str, seconds: int, connections: int) -> dict:
    port = free_port()
    server = start_gunicorn(port, workers=os.environ.get("BENCH_GUNICORN_WORKERS", "4"), extra_env=env)
    out = {}
    try:
        for name, path in urls.items():
            url = f"http://127.0.0.1:{port}{path}"
            wait_ready(url, cookie)
            run_wrk(url, cookie_file, connections=connections, duration=2, server_pid=server.pid)  # warm-up
            f = run_wrk(url, cookie_file, connections=connections, duration=seconds, server_pid=server.pid)
            out[name] = {"rps": f["rps"], "p99_ms": f["P99_US"] / 1000, "cpu_ms": f["cpu_ms"],
                         "errors": f["NON200"] + f["SOCKET_ERRORS"]}
    finally:
        stop(server)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("levers", nargs="*", default=list(LEVERS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args(argv)
    setup(migrate=False)
    from django.db.models import Count
    from django.urls import reverse

    from bench.staff import commission_user, session_cookie, signed_in_client
    from experts.models import Expert

    user = commission_user()
    client = signed_in_client(user)
    cookies = [session_cookie(signed_in_client(user)) for _ in range(20)]
    top = (Expert.objects.filter(in_pool=True).values("discipline").annotate(n=Count("id"))
           .order_by("-n", "discipline")[0])
    urls = {"pool": f"{reverse('experts:expert-list')}?discipline={top['discipline']}",
            "dashboard": reverse("dashboard:index")}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(cookies) + "\n")
        cookie_file = fh.name
    report = {}
    try:
        for lever in args.levers:
            off, on = LEVERS[lever]
            runs = {"off": [], "on": []}
            for _ in range(args.rounds):
                for state, env in (("off", off), ("on", on)):
                    run = {"process": in_process(urls, env, client)}
                    if not args.no_load:
                        run["load"] = under_load(urls, env, cookie_file, cookies[0], args.seconds,
                                                 args.connections)
                    runs[state].append(run)
                    print(f"# {lever} {state}: {json.dumps(run, ensure_ascii=False)}", flush=True)
            report[lever] = summarize(runs)
            print(json.dumps({lever: report[lever]}, ensure_ascii=False), flush=True)
    finally:
        os.unlink(cookie_file)
    out = ROOT / "var" / "bench" / "levers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def summarize(runs: dict) -> dict:
    def med(values):
        return round(statistics.median(values), 2)

    out = {}
    for state, items in runs.items():
        s = {}
        for page in items[0]["process"]:
            s[page] = {
                "ms": med([r["process"][page]["ms"] for r in items]),
                "python_cpu_ms": med([r["process"][page].get("cpu_ms", 0) for r in items]),
                "queries": items[-1]["process"][page]["queries"],
            }
            if "load" in items[0]:
                loads = [r["load"][page] for r in items]
                s[page].update(
                    rps=med([x["rps"] for x in loads]),
                    p99_ms=med([x["p99_ms"] for x in loads]),
                    errors=sum(x["errors"] for x in loads),
                    cpu_ms={k: med([x["cpu_ms"][k] for x in loads]) for k in loads[0]["cpu_ms"]},
                )
        out[state] = s
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
