from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("工作台与年度报告")
    seed_order = 100  # demo.registry

    def ready(self) -> None:
        from core import dataversion

        # The dashboard page is cached per data version of every app it reads (issue 20). Another app
        # whose figures the dashboard shows adds itself in its own ready():
        #     dataversion.register("dashboard", "<app label>")
        dataversion.register(
            "dashboard", "experts", "enterprises", "projects", "terms", "subsidies", "awards"
        )
