"""`/healthz` for a load balancer (issue 18 item 7): the database, the cache and — when one is configured
— the Celery broker, each answered "ok" or with the error's class; 200 when all are ok, else 503. No
login, no personal data, never cached; exempt from the HTTPS redirect (probes speak plain HTTP)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def _broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def health_checks() -> dict[str, str]:
    checks = {"database": _database, "cache": _cache}
    if getattr(settings, "CELERY_BROKER_URL", None):
        checks["broker"] = _broker
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure of that dependency is the answer
            results[name] = f"error: {type(exc).__name__}"
    return results


@never_cache
def healthz(request):
    results = health_checks()
    ok = all(v == "ok" for v in results.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503)
