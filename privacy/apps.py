from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("个人信息保护")
    seed_order = 110  # demo.registry

    def ready(self) -> None:
        from . import registry
        from .models import ConsentRecord

        # The consents in the expert's personal-data download.
        registry.register_rows("consents", ConsentRecord, 60)
