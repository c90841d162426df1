from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("信用记录")
    seed_order = 130  # demo.registry

    def ready(self) -> None:
        from privacy import registry

        from . import personal_data
        from .models import CreditRecord

        # The expert's personal-data download (privacy.registry).
        registry.register(
            "credit_records",
            CreditRecord._meta.verbose_name_plural,
            100,
            collect=personal_data.credit_records,
        )
