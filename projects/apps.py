from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("合作项目")
    seed_order = 50  # demo.registry

    def ready(self) -> None:
        from privacy import registry

        from .models import Appointment

        # The expert's personal-data download (privacy.registry).
        registry.register_rows("appointments", Appointment, 80)
        # Experts with an active appointment are serving: the matching engine never recommends them.
        try:
            from enterprises.matching import register_serving_provider
        except ImportError:  # pragma: no cover - the enterprises app is always installed with projects
            return
        from enterprises.selectors import register_projects_filed_provider

        from .selectors import project_filed_counts
        from .services import active_appointment_expert_ids

        register_serving_provider(active_appointment_expert_ids)
        register_projects_filed_provider(project_filed_counts)
