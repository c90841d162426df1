from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("服务成果")
    seed_order = 90  # demo.registry

    def ready(self) -> None:
        from core import dataversion

        # The dashboard's 服务成果 section reads outcomes: its cached page follows their writes (issue 20).
        dataversion.register("dashboard", "outcomes")
