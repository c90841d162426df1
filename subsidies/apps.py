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
        registry.register(
            "bank_accounts",
            BankAccount._meta.verbose_name_plural,
            70,
            collect=lambda expert: registry.rows(BankAccount.objects.filter(expert=expert)),
        )
        registry.register(
            "payments",
            Payment._meta.verbose_name_plural,
            90,
            collect=lambda expert: registry.rows(Payment.objects.filter(expert=expert)),
        )
