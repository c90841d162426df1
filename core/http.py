"""The client's address, as far as the deployment lets us know it.

With no reverse proxy (TRUSTED_PROXY_COUNT = 0) it is REMOTE_ADDR. Behind N proxies that each append
the address they received from to X-Forwarded-For, the client is the N-th entry from the right: entries
further left were written by the client and cannot be trusted.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

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


PK_MAX = 2**63 - 1


def int_param(value) -> int | None:
    """A positive database id from a request parameter, or None when it is not one (`abc`, `-1`, `²`,
    `1e5`, more digits than a bigint holds): a lookup with it would make the database raise (a 500)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= PK_MAX else None


def int_params(values) -> list[int]:
    """The valid ids among several request parameters (`request.POST.getlist("payment")`)."""
    return [n for n in (int_param(v) for v in values) if n is not None]
# --- absolute links (mail, QR codes) -------------------------------------------------------------------

_request_base: ContextVar[str] = ContextVar("portal_request_base", default="")
FALLBACK_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The scheme and host absolute links start with: SITE_URL when set; else the host of the request being
    served (so a portal run on another port or name links to itself); outside a request the fallback."""
    return settings.SITE_URL or _request_base.get() or FALLBACK_SITE_URL


class SiteURLMiddleware:
    """Remembers the current request's scheme and host for `site_url()` (only used when SITE_URL is empty)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)


def local_next(request, *, default: str = "") -> str:
    """The `next` address the form posted (or the query string gave), when it is a path on this site;
    otherwise `default`. Never an address elsewhere (`//evil.example`, `https://…`) nor a view name."""
    from django.utils.http import url_has_allowed_host_and_scheme

    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
