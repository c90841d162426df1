"""Encryption at rest for personal numbers (SPEC §7: ID numbers, bank accounts).

- `encrypt` / `decrypt`: Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography` package). The key is
  settings.FIELD_ENCRYPTION_KEY (a urlsafe-base64 Fernet key) when set, else derived from SECRET_KEY.
  Several comma-separated keys may be given: the first encrypts, all decrypt (key rotation).
- `blind_index`: a keyed HMAC-SHA256 of the normalised value, stored beside the ciphertext so that the
  database can enforce uniqueness and look a number up without decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


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
