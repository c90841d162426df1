"""Issue 18 item 10 — a bare machine: `make test` first runs scripts/system-packages.sh (so does .ci/run),
which installs the missing Debian packages when run as root, or stops at once with one line naming them and
the command that installs them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "system-packages.sh"


def _run(tmp_path, missing: set[str], **env_extra):
    """The script with a dpkg-query that reports `missing` as not installed."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "dpkg-query").write_text(
        "#!/bin/sh\nfor last; do :; done\ncase \" " + " ".join(missing) + " \" in\n"
        '  *" $last "*) echo "unknown ok not-installed"; exit 1;;\n'
        '  *) printf "install ok installed";;\nesac\n'
    )
    (fake / "dpkg-query").chmod(0o755)
    env = os.environ | {"PATH": f"{fake}:{os.environ['PATH']}"} | env_extra
    return subprocess.run(["bash", str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_nothing_missing_passes_silently(tmp_path):
    result = _run(tmp_path, set())
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_missing_packages_without_apt_stop_with_one_line_and_the_command(tmp_path):
    result = _run(tmp_path, {"chromium", "fonts-noto-cjk"}, KJFZ_NO_APT="1")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        "missing Debian packages: fonts-noto-cjk chromium — install them with: "
        "sudo apt-get install -y fonts-noto-cjk chromium"
    )


def test_make_test_and_ci_run_the_script_first():
    makefile = (ROOT / "Makefile").read_text()
    assert "test: system-packages messages" in makefile
    assert "@scripts/system-packages.sh" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/system-packages.sh" in ci
    assert ci.index("\nscripts/system-packages.sh") < ci.index("\nmake test")
    listed = subprocess.run(["bash", str(SCRIPT), "--list"], capture_output=True, text=True).stdout.split()
    assert {"fonts-noto-cjk", "libharfbuzz-subset0", "gettext", "chromium", "poppler-utils"} <= set(listed)
