"""Password rules beyond Django's (等保 2.0 8.1.4.1 a: complexity; ASVS 2.1)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def character_classes(password: str) -> int:
    """How many of the four classes (lower case, upper case, digits, other) `password` uses."""
    return sum((
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(c not in string.ascii_letters + string.digits for c in password),
    ))


class CharacterClassValidator:
    """At least `min_classes` of lower-case letters, upper-case letters, digits and other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊字符中的至少%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return gettext_lazy("密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。")
