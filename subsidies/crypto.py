"""The bank account field: core.crypto's EncryptedTextField (Fernet, FIELD_ENCRYPTION_KEYS), under the
name the subsidies migrations reference.

TODO(consolidation): migrations could point at core.crypto.EncryptedTextField directly.
"""

from __future__ import annotations

from core.crypto import EncryptedTextField


class EncryptedCharField(EncryptedTextField):
    """A bank account number stored as a Fernet token (shown only in finance's bank export)."""
