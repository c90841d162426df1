<<<<<<< HEAD
"""Encryption at rest for personal numbers (SPEC §7: ID numbers, bank accounts).

- `encrypt` / `decrypt`: Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography` package). The key is
  settings.FIELD_ENCRYPTION_KEY (a urlsafe-base64 Fernet key) when set, else derived from SECRET_KEY.
  Several comma-separated keys may be given: the first encrypts, all decrypt (key rotation).
- `blind_index`: a keyed HMAC-SHA256 of the normalised value, stored beside the ciphertext so that the
  database can enforce uniqueness and look a number up without decrypting anything.
=======
"""Encryption at rest for personal numbers (ID, phone, bank account) and blind indexes to find them.

    class Payee(models.Model):
        bank_account = EncryptedTextField(_("银行账号"))
        bank_account_index = models.CharField(max_length=64, db_index=True)   # blind_index(...)

- Keys: settings.FIELD_ENCRYPTION_KEYS, a list of Fernet keys (url-safe base64 of 32 bytes), newest
  first. Encryption uses the first; decryption tries each (MultiFernet), so adding a new key in front
  rotates without downtime; `rotate_token` (or `reencrypt_queryset`) then rewrites old rows.
- Exact-match lookups and uniqueness use `blind_index(value)`, an HMAC-SHA256 keyed by
  settings.BLIND_INDEX_KEY (a key of its own: a leaked index key does not reveal the data key).
- Production reads both from the environment; with DEBUG on, settings derive development keys from
  SECRET_KEY. Without keys, using the field raises ImproperlyConfigured, and `manage.py check` reports
  an error once a model uses the field.
>>>>>>> main
"""

from __future__ import annotations

<<<<<<< HEAD
import base64
=======
>>>>>>> main
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
<<<<<<< HEAD


def _derive(label: bytes) -> bytes:
    return hashlib.sha256(label + settings.SECRET_KEY.encode()).digest()


@lru_cache(maxsize=4)
def _fernet(keys: str, secret: str) -> MultiFernet:
    if keys:
        fernets = [Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()]
    else:
        fernets = [Fernet(base64.urlsafe_b64encode(_derive(b"kjfz-field-encryption:")))]
    return MultiFernet(fernets)


def _current() -> MultiFernet:
    return _fernet(getattr(settings, "FIELD_ENCRYPTION_KEY", "") or "", settings.SECRET_KEY)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _current().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text of `token`; raises ValueError when it cannot be decrypted with the keys."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("无法解密：密钥不匹配或数据已损坏") from None


def blind_index(value: str, *, purpose: str) -> str:
    """A 64-character hex HMAC of `value` (upper-cased, stripped) for equality look-ups."""
    key = _derive(f"kjfz-blind-index:{purpose}:".encode())
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()
=======
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def get_fernet() -> MultiFernet:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set (see docs/SECURITY.md).")
    return _multifernet(keys)


def encrypt_str(value: str) -> str:
    return get_fernet().encrypt(value.encode()).decode()


def decrypt_str(token: str) -> str:
    try:
        return get_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("encrypted value cannot be decrypted with any configured key") from exc


def rotate_token(token: str) -> str:
    """The same plaintext encrypted again under the newest key."""
    return get_fernet().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    """A keyed hash of `value` (stripped, upper-cased) for exact-match lookups and uniqueness."""
    key = getattr(settings, "BLIND_INDEX_KEY", "")
    if not key:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not set (see docs/SECURITY.md).")
    normalised = value.strip().upper().encode()
    return hmac.new(key.encode(), normalised, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token. Not searchable: pair it with a blind index column."""

    description = "Text encrypted at rest (Fernet)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_str(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":  # ciphertexts are randomised: use a blind index
            return None
        return super().get_lookup(lookup_name)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not getattr(settings, "FIELD_ENCRYPTION_KEYS", None):
            errors.append(checks.Error(
                "FIELD_ENCRYPTION_KEYS is empty but a model stores encrypted fields.",
                hint="Set FIELD_ENCRYPTION_KEYS (and BLIND_INDEX_KEY) in the environment.",
                obj=self, id="core.E101",
            ))
        return errors


def reencrypt_queryset(queryset, *field_names: str) -> int:
    """Rewrite `field_names` of every row under the newest key (after a key was added in front)."""
    count = 0
    for obj in queryset.iterator():
        obj.save(update_fields=list(field_names))
        count += 1
    return count
>>>>>>> main
