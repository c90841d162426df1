from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共服务")
    seed_order = 20  # demo.registry: the demo signing certificate

    def ready(self) -> None:
        # Each app may contribute menu entries and landing-page panels in its `navigation` module.
        autodiscover_modules("navigation")
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .dataversion import connect

        # Every connection reports its writes to the cached data versions (issue 20).
        connect()
