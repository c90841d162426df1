"""The demo seed's registry (issue 22 item 3): every app with a seed.py declares its seed_order, and
seed_demo runs the steps in the order the data was always created in (accounts first, credit last)."""

from importlib.util import find_spec
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from demo.registry import seed_steps, seed_without_order

# The order of INSTALLED_APPS that seed_demo followed before the registry: a later app's demo data reads
# an earlier one's (experts before enterprises' matching, projects before terms, terms before subsidies…).
ORDER = [
    "accounts", "core", "experts", "enterprises", "projects", "terms", "subsidies", "awards", "outcomes",
    "dashboard", "privacy", "worklist", "credit",
]  # fmt: skip


def test_every_app_with_a_seed_module_is_collected_in_order():
    with_seed = {c.label for c in apps.get_app_configs() if find_spec(f"{c.name}.seed") is not None}
    steps = seed_steps()
    assert [s.label for s in steps] == ORDER
    assert set(ORDER) == with_seed
    assert [s.module for s in steps] == [f"{label}.seed" for label in ORDER]
    assert seed_without_order() == []


def test_a_seed_module_without_an_order_is_reported_and_two_equal_orders_refused(monkeypatch):
    config = apps.get_app_config("awards")
    monkeypatch.setattr(config, "seed_order", None)
    assert [m.id for m in seed_without_order()] == ["demo.W001"]
    assert "awards" not in [s.label for s in seed_steps()]
    monkeypatch.setattr(config, "seed_order", 90)
    with pytest.raises(ImproperlyConfigured, match="seed_order 90"):
        seed_steps()


@pytest.mark.django_db
def test_seed_demo_runs_the_steps_in_order_and_runs_again():
    first = StringIO()
    call_command("seed_demo", stdout=first)
    said = [line.split(":")[0].strip() for line in first.getvalue().splitlines() if line.startswith("  ")]
    apps_said = [label for label in dict.fromkeys(said) if label in ORDER]
    assert apps_said == [label for label in ORDER if label in apps_said]
    assert {"accounts", "experts", "projects", "credit"} <= set(apps_said)
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "演示数据已就绪 / Demo data ready." in again.getvalue()
