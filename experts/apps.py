from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The talent pool's cached result (experts.views.ExpertListView): every table of this app.
POOL_SCOPE = "pool"


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("专家人才库")
    seed_order = 30  # demo.registry

    def ready(self) -> None:
        from core import dataversion
        from core.filters import choices_scope
        from privacy import registry

        from . import personal_data
        from .models import Achievement, Discipline, Expert, ExpertChangeRequest, Institution, Nomination

        # The pool list's selects are rebuilt when these tables change (issue 20).
        for model in (Institution, Discipline):
            dataversion.register(choices_scope(model), model)
        dataversion.register(POOL_SCOPE, self.label)
        # The expert's personal-data download (privacy.registry).
        registry.register("profile", Expert._meta.verbose_name, 10, collect=personal_data.profile)
        registry.register("account", _("登录账号"), 20, collect=personal_data.account)
        registry.register_rows("achievements", Achievement, 30)
        registry.register_rows("nominations", Nomination, 40)
        registry.register_rows("change_requests", ExpertChangeRequest, 50)
