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
    errors = []
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:
        secret_key = ""
    if not secret_key:
        errors.append(checks.Error(
            "SECRET_KEY must be set when DEBUG is off (see README).",
            hint="Set SECRET_KEY in the environment.", id="core.E100",
        ))
    if not getattr(settings, "FIELD_ENCRYPTION_KEYS", None):
        errors.append(checks.Error(
            "FIELD_ENCRYPTION_KEYS is empty but models store encrypted fields.",
            hint="Set FIELD_ENCRYPTION_KEYS (and BLIND_INDEX_KEY) in the environment (docs/SECURITY.md).",
            id="core.E101",
        ))
    if not getattr(settings, "BLIND_INDEX_KEY", ""):
        errors.append(checks.Error(
            "BLIND_INDEX_KEY is empty: uniqueness of personal numbers cannot be checked.",
            hint="Set BLIND_INDEX_KEY in the environment (docs/SECURITY.md).", id="core.E102",
        ))
    if not getattr(settings, "AUDIT_HMAC_KEYS_FROM_ENV", True):
        errors.append(checks.Error(
            "AUDIT_HMAC_KEYS is not set: the audit chain would be keyed with a key derived from SECRET_KEY.",
            hint="Set AUDIT_HMAC_KEYS=id:secret in the environment (docs/SECURITY.md).", id="core.E103",
        ))
    return errors
