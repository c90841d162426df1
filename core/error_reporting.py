"""Optional error reporting (issue 18 item 7): with SENTRY_DSN set (and the `sentry-sdk` package
installed: `pip install sentry-sdk`), errors go to Sentry — after the portal's log masking. Every string of
an event (message, exception values, stack-frame variables, request data, breadcrumbs) passes through
`core.logging.mask_personal_numbers` in `before_send` / `before_breadcrumb`, no default PII (user IP,
cookies) is attached, and request bodies are not sent."""

from __future__ import annotations

from typing import Any

from .logging import mask_personal_numbers


def scrub(value: Any) -> Any:
    """`value` with every personal number inside its strings masked (dicts, lists, tuples walked)."""
    if isinstance(value, str):
        return mask_personal_numbers(value)
    if isinstance(value, dict):
        return {scrub(k) if isinstance(k, str) else k: scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(v) for v in value)
    return value


def before_send(event: dict, hint: dict | None = None) -> dict:
    return scrub(event)


def before_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return scrub(crumb)


def init_error_reporting(dsn: str, *, environment: str = "production", release: str | None = None) -> bool:
    """Start Sentry when a DSN is given; False (and nothing started) without one."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
    return True
