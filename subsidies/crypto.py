"""A model field stored encrypted at rest (bank account numbers, SPEC §7), on top of core.crypto.

core.crypto (Fernet keyed from settings.FIELD_ENCRYPTION_KEY, rotation by a comma-separated key list)
does the cryptography, so the portal has one key and one token format.

TODO(consolidation): the field is generic and could move to core (core.crypto has no field class yet).
"""

from __future__ import annotations

from django.db import models

from core.crypto import decrypt, encrypt


class EncryptedCharField(models.TextField):
    """A text value stored as a Fernet token (not searchable; shown only where a view decides to)."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
