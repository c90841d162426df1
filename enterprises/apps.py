from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("企业与供需对接")
    seed_order = 40  # demo.registry

    def ready(self) -> None:
        from . import indexing

        indexing.connect()
