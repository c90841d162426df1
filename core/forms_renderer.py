"""The form renderer: Django's own widget templates, with the few the portal overrides (in
`core/form_templates/`) found first. The one override so far: a select's blank choice reads 请选择
instead of "---------" (issue 16 item 4: no codes in the Chinese UI)."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class PortalFormRenderer(DjangoTemplates):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
