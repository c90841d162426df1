from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("合作项目")

    def ready(self) -> None:
        # Experts with an active appointment are serving: the matching engine never recommends them.
        try:
            from enterprises.matching import register_serving_provider
        except ImportError:  # pragma: no cover - the enterprises app is always installed with projects
            return
        from .services import active_appointment_expert_ids

        register_serving_provider(active_appointment_expert_ids)
