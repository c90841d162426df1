"""The client's address, as far as the deployment lets us know it.

With no reverse proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR. Behind N proxies that each append
the address they received from to X-Forwarded-For, the client is the N-th entry from the right: entries
further left were written by the client and cannot be trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address for `request` (None when it cannot be known, e.g. a test request)."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return _valid(forwarded[-count] if len(forwarded) >= count else forwarded[0])
    return _valid(meta.get("REMOTE_ADDR"))
