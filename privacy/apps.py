from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("个人信息保护")
    seed_order = 110  # demo.registry

    def ready(self) -> None:
        from . import registry
        from .models import ConsentRecord

        registry.register(
            "consents",
            ConsentRecord._meta.verbose_name_plural,
            60,
            collect=lambda expert: registry.rows(ConsentRecord.objects.filter(expert=expert)),
        )
