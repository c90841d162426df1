"""Encryption at rest for bank account numbers (SPEC §7), with Fernet from the `cryptography` package.

The key is settings.FIELD_ENCRYPTION_KEY (a urlsafe base64 32-byte Fernet key from the environment).
Only when DEBUG is on and no key is configured is a development key derived from SECRET_KEY; in
production a missing key is an ImproperlyConfigured error at the first encryption or decryption.

TODO(consolidation): this is a small local helper; when `core/crypto.py` lands (branch issue-9) the
field below should be replaced by core's encrypted field so the portal has one key and one format.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key: str, secret: str, debug: bool) -> Fernet:
    if not key:
        if not debug:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")
        digest = hashlib.sha256(f"kjfz-field-encryption:{secret}".encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def fernet() -> Fernet:
    return _fernet(getattr(settings, "FIELD_ENCRYPTION_KEY", ""), settings.SECRET_KEY, settings.DEBUG)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("无法解密已加密字段：FIELD_ENCRYPTION_KEY 与加密时不一致。") from exc


class EncryptedCharField(models.TextField):
    """A text value stored as a Fernet token (never searchable, never shown in the admin's lists)."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
