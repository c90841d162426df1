"""Issue 18 item 8 — dependencies: a lock with hashes from which make (and so CI) and the Dockerfile
install, refreshed by `make lock`; its pins satisfy pyproject.toml (weasyprint >= 68 for URLFetcher)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins(path: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of a uv/pip-tools lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text().splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line):
            current = canonicalize_name(m.group(1))
            pins[current] = (m.group(2), 0)
        elif current and "--hash=sha256:" in line:
            version, n = pins[current]
            pins[current] = (version, n + 1)
    return pins


def _requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]], [
        Requirement(r) for r in project["optional-dependencies"]["dev"]
    ]


def test_weasyprint_floor_has_urlfetcher():
    runtime, _dev = _requirements()
    weasy = next(r for r in runtime if r.name == "weasyprint")
    assert not weasy.specifier.contains("67.0") and weasy.specifier.contains("68.0")


def test_the_locks_pin_every_dependency_with_hashes_within_pyproject():
    """A dependency added to pyproject.toml without `make lock` fails here, naming it."""
    runtime, dev = _requirements()
    for lock, requirements in (("requirements.lock", runtime + dev), ("requirements-prod.lock", runtime)):
        pins = _pins(ROOT / lock)
        assert pins and all(n >= 1 for _v, n in pins.values()), f"{lock}: a pin without a hash"
        for req in requirements:
            name = canonicalize_name(req.name)
            assert name in pins, f"{req.name} is not in {lock}: run `make lock`"
            assert req.specifier.contains(pins[name][0], prereleases=True), (
                f"{lock} pins {req.name}=={pins[name][0]}, outside {req.specifier}: run `make lock`"
            )
    prod = _pins(ROOT / "requirements-prod.lock")
    full = _pins(ROOT / "requirements.lock")
    assert {n: v for n, (v, _h) in prod.items()} == {n: full[n][0] for n in prod}, "the two locks disagree"


def test_make_ci_and_docker_install_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(STAMP): pyproject.toml $(LOCK)" in makefile
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert re.search(r"^lock:", makefile, re.M) and "--generate-hashes" in makefile
    assert '".[dev]"' not in makefile  # nothing installed around the lock
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements-prod.lock" in dockerfile
    assert "make test" in (ROOT / ".ci" / "run").read_text()  # `make test` → $(STAMP) → the lock
