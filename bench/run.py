"""Run every benchmark in bench/ and write var/bench/results.json plus a readable table.

Each `bench/bench_*.py` is run as its own process (so one benchmark's caches never help another) and
prints one JSON object per line for each figure it measures:

    {"name": "matching_top20_ms", "median": 0.41, "unit": "ms", "target": 10, "ok": true}

Before the benchmarks, the bench database is migrated and filled once with the province-scale data
(`manage.py generate_bench_data --experts 50000 --enterprises 10000 --appointments 10000`; skipped when
the data is there). The allowance benchmark builds its own 10,000 appointments in a database of its own.

Benchmarks are not tests: `make test` does not run them. `make bench` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "results.json"


def run_one(script: Path) -> list[dict]:
    print(f"-- {script.name}", flush=True)
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True
    )
    rows = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("# "):
            print(line, flush=True)
        if line.startswith("{"):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if {"name", "median", "unit", "target", "ok"} <= row.keys():
                rows.append(row)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        rows.append({"name": f"{script.stem}_error", "median": None, "unit": "", "target": None, "ok": False})
    return rows


def prepare() -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    env = os.environ.copy()
    subprocess.run(
        [sys.executable, "-c", "from bench.common import setup; setup()"], cwd=ROOT, env=env, check=True
    )
    # The letters are signed: a fresh checkout has no certificate until seed_demo made the demo one.
    subprocess.run(
        [sys.executable, "-c", "from bench.common import setup; setup(); "
         "from core.signing import demo_pki_ensure; demo_pki_ensure()"],
        cwd=ROOT, env=env, check=True,
    )
    subprocess.run(
        [*manage, "generate_bench_data", "--experts", "50000", "--enterprises", "10000", "--appointments",
         "10000", "--skip-if-present"],
        cwd=ROOT, env=env, check=True,
    )
    # What autovacuum does on a production server (it is off on some development servers, this one
    # included): without it a migration that rewrote every expert row (the phone encryption) left
    # 50,000 dead tuples and stale statistics, and the pool list measured 31 ms instead of ~12.
    subprocess.run(
        [sys.executable, "-c", "from bench.common import vacuum_analyze; vacuum_analyze()"],
        cwd=ROOT, env=env, check=True,
    )


def main(argv: list[str]) -> int:
    prepare()
    scripts = sorted((ROOT / "bench").glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(a in s.name for a in argv)]
    results: list[dict] = []
    for script in scripts:
        results.extend(run_one(script))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    if argv and OUT.exists():  # a partial run replaces its own figures and keeps the others
        fresh = {r["name"] for r in results}
        # a script that ran again replaces its error row too, whether it failed again or not
        fresh |= {f"{script.stem}_error" for script in scripts}
        kept = [r for r in json.loads(OUT.read_text()) if r["name"] not in fresh]
        results = kept + results
    OUT.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    width = max((len(r["name"]) for r in results), default=10)
    print(f"\n{'figure':<{width}}  {'median':>12}  {'target':>10}  result")
    for r in results:
        median = "—" if r["median"] is None else f"{r['median']:.3f} {r['unit']}"
        note = f"  ({r['note']})" if r.get("note") else ""
        verdict = "pass" if r["ok"] else "FAIL"
        print(f"{r['name']:<{width}}  {median:>12}  {r['target']!s:>10}  {verdict}{note}")
    print(f"\nwritten to {OUT.relative_to(ROOT)}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
