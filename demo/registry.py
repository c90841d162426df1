"""The demo seed's steps. An app takes part by naming its place on its AppConfig and writing
`<app>/seed.py` with `seed(stdout)` (idempotent: `make run` seeds on every start):

    class EnterprisesConfig(AppConfig):
        name = "enterprises"
        seed_order = 40  # demo.registry: after the experts (30), before the projects (50)

`manage.py seed_demo` runs every step, lowest `seed_order` first, in one transaction. The orders in use:
accounts 10, core 20, experts 30, enterprises 40, projects 50, terms 60, subsidies 70, awards 80,
outcomes 90, dashboard 100, privacy 110, worklist 120, credit 130. A `seed.py` without a `seed_order`
is reported by `manage.py check` (demo.W001) and never run.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from itertools import pairwise

from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class SeedStep:
    """One app's part of the demo data: `<module>.seed(stdout)`, at `order`."""

    label: str
    order: int
    module: str

    def run(self, stdout) -> None:
        import_module(self.module).seed(stdout)


def seed_steps() -> list[SeedStep]:
    """The installed apps' seed steps, in ascending `seed_order` (two apps may not share one)."""
    steps = sorted(
        (
            SeedStep(config.label, config.seed_order, f"{config.name}.seed")
            for config in apps.get_app_configs()
            if getattr(config, "seed_order", None) is not None
        ),
        key=lambda step: step.order,
    )
    for before, after in pairwise(steps):
        if before.order == after.order:
            raise ImproperlyConfigured(f"seed_order {after.order}: both {before.label} and {after.label}")
    return steps


@checks.register()
def seed_without_order(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """demo.W001: an app has a seed.py but no seed_order, so seed_demo would skip it."""
    return [
        checks.Warning(
            f"{config.name}.seed exists but {type(config).__name__} has no seed_order: seed_demo skips it.",
            hint="Give the AppConfig a seed_order (see demo/registry.py).",
            obj=config.name,
            id="demo.W001",
        )
        for config in app_configs or apps.get_app_configs()
        if getattr(config, "seed_order", None) is None and find_spec(f"{config.name}.seed") is not None
    ]
