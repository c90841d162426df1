from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The wiring of the demo and bench data: `manage.py seed_demo` runs the seed steps the apps declare
    (demo.registry), `manage.py generate_bench_data` the province-scale data of `make bench`."""

    name = "demo"
    verbose_name = _("演示数据")

    def ready(self) -> None:
        from . import registry  # noqa: F401  (registers the check that every seed.py has its seed_order)
