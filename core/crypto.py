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
  SECRET_KEY. Without keys, using the field raises ImproperlyConfigured, and `manage.py check --deploy`
  reports an error (core.checks).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
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


def encrypt(value: str) -> str:
    """`value` as a Fernet token under the newest key ("" stays "")."""
    return get_fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """The plaintext of a token made under any configured key ("" stays "")."""
    if not token:
        return ""
    try:
        return get_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("加密数据无法解密：已配置的密钥都不匹配（密钥可能已更换）。") from exc


def rotate_token(token: str) -> str:
    """The same plaintext encrypted again under the newest key."""
    return get_fernet().rotate(token.encode()).decode()


def blind_index(value: str, *, purpose: str = "") -> str:
    """A keyed hash of `value` (stripped, upper-cased) for exact-match lookups and uniqueness; a
    `purpose` ("id", "bank") keeps the indexes of different kinds of number apart."""
    key = getattr(settings, "BLIND_INDEX_KEY", "")
    if not key:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not set (see docs/SECURITY.md).")
    value = f"{purpose}:{value.strip()}" if purpose else value
    normalised = value.strip().upper().encode()
    return hmac.new(key.encode(), normalised, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token. Not searchable: pair it with a blind index column."""

    description = "Text encrypted at rest (Fernet)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":  # ciphertexts are randomised: use a blind index
            return None
        return super().get_lookup(lookup_name)


class EncryptedPhoneField(EncryptedTextField):
    """A phone number (SPEC §7) stored as a Fernet token (issue 18 item 5). Forms get
    core.forms.PhoneField — a one-line input, tidied and validated, at most `max_length` characters —
    also in the admin, which would otherwise give a text field's textarea. Display masks it
    (core.phones / `{% load privacy %}`) except to the roles core.phones names."""

    description = "Phone number encrypted at rest (Fernet)"

    def __init__(self, *args, max_length: int = 20, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def formfield(self, **kwargs):
        from django import forms

        from core.forms import PhoneField

        widget = kwargs.get("widget")
        widget_class = widget if isinstance(widget, type) else type(widget)
        if widget is not None and issubclass(widget_class, forms.Textarea):  # the admin's text field default
            kwargs["widget"] = forms.TextInput(attrs={"class": "vTextField"})
        defaults = {"form_class": PhoneField, "max_length": self.max_length}
        return models.Field.formfield(self, **{**defaults, **kwargs})


def _is_token(value: str) -> bool:
    try:
        decrypt(value)
    except ValueError:
        return False
    return True


def _rewrite_column(schema_editor, table: str, column: str, convert, *, tokens: bool, batch: int) -> int:
    qn = schema_editor.quote_name
    # Table and column names come from the migrations' code, quoted by the schema editor; values are bound.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {qn(column)} FROM {qn(table)} WHERE {qn(column)} <> ''")  # nosec B608
        rows = [(convert(v), pk) for pk, v in cursor.fetchall() if v and _looks_encrypted(v) == tokens]
        for start in range(0, len(rows), batch):
            # the same quoted identifiers; the values are bound parameters
            cursor.executemany(
                f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE id = %s",  # nosec B608
                rows[start : start + batch],
            )
    return len(rows)


def encrypt_column(schema_editor, table: str, column: str, *, batch: int = 1000) -> int:
    """Data migration step: encrypt the plaintext left in `table`.`column` by a CharField that became an
    Encrypted…Field (raw SQL: the historical model's field would try to decrypt it). Values that
    already decrypt are left alone, so a rerun is harmless. Needs FIELD_ENCRYPTION_KEYS only when a
    row is to be encrypted. Returns the number of rows rewritten."""
    return _rewrite_column(schema_editor, table, column, encrypt, tokens=False, batch=batch)


def decrypt_column(schema_editor, table: str, column: str, *, batch: int = 1000) -> int:
    """The reverse of encrypt_column (to migrate back to the plain CharField): every token becomes its
    plaintext again; needs the keys that made the tokens."""
    return _rewrite_column(schema_editor, table, column, decrypt, tokens=True, batch=batch)


def _looks_encrypted(value: str) -> bool:
    """A Fernet token ("gAAAAA…", url-safe base64 of version byte 0x80 and a timestamp) that one of the
    configured keys opens; a phone number, e-mail address or other plaintext never does."""
    return value.startswith("gAAAAA") and _is_token(value)


def reencrypt_queryset(queryset, *field_names: str) -> int:
    """Rewrite `field_names` of every row under the newest key (after a key was added in front)."""
    count = 0
    for obj in queryset.iterator():
        obj.save(update_fields=list(field_names))
        count += 1
    return count
