"""Deployment checks for the secrets production must supply (`manage.py check --deploy`).

Development commands (makemigrations, migrate on a laptop) run without them; serving a request without
SECRET_KEY fails at its first use (Django refuses an empty SECRET_KEY), and an encrypted field without
keys raises ImproperlyConfigured when it is used (core.crypto).
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security, deploy=True)
def production_secrets(app_configs=None, **kwargs):
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:
        secret_key = ""
    missing = [
        (
            not secret_key,
            "SECRET_KEY must be set when DEBUG is off (see README).",
            "Set SECRET_KEY in the environment.",
            "core.E100",
        ),
        (
            not getattr(settings, "FIELD_ENCRYPTION_KEYS", None),
            "FIELD_ENCRYPTION_KEYS is empty but models store encrypted fields.",
            "Set FIELD_ENCRYPTION_KEYS (and BLIND_INDEX_KEY) in the environment (docs/SECURITY.md).",
            "core.E101",
        ),
        (
            not getattr(settings, "BLIND_INDEX_KEY", ""),
            "BLIND_INDEX_KEY is empty: uniqueness of personal numbers cannot be checked.",
            "Set BLIND_INDEX_KEY in the environment (docs/SECURITY.md).",
            "core.E102",
        ),
        (
            not getattr(settings, "AUDIT_HMAC_KEYS_FROM_ENV", True),
            "AUDIT_HMAC_KEYS is not set: the audit chain would be keyed with a key derived from SECRET_KEY.",
            "Set AUDIT_HMAC_KEYS=id:secret in the environment (docs/SECURITY.md).",
            "core.E103",
        ),
    ]
    return [checks.Error(msg, hint=hint, id=check_id) for absent, msg, hint, check_id in missing if absent]
