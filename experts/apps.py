from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("专家人才库")
    seed_order = 30  # demo.registry

    def ready(self) -> None:
        from core import dataversion
        from core.filters import choices_scope

        from .models import Discipline, Institution

        # The pool list's selects are rebuilt when these tables change (issue 20).
        for model in (Institution, Discipline):
            dataversion.register(choices_scope(model), model)
