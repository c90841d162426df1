from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("资金补贴")
    seed_order = 70  # demo.registry

    def ready(self) -> None:
        from privacy import registry

        from .models import BankAccount, Payment

        # The expert's personal-data download (privacy.registry).
        registry.register_rows("bank_accounts", BankAccount, 70)
        registry.register_rows("payments", Payment, 90)
