"""Issue 18 item 7 — operations: /healthz for a load balancer; error reporting masks personal numbers
before anything leaves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.error_reporting import before_breadcrumb, before_send, init_error_reporting

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_database_and_cache_for_anyone(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_checks_the_broker_when_one_is_configured(client, settings):
    from config.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # configured, but nothing listens there
    old = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get(reverse("core:healthz"))
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok" and body["checks"]["broker"].startswith("error")


def test_healthz_reports_a_broken_cache(client, settings):
    settings.CELERY_BROKER_URL = None
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    from django.core.cache import caches

    caches._settings = None
    try:
        response = client.get(reverse("core:healthz"))
    finally:
        caches._settings = None
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_BROKER_URL = None
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_error_reports_are_masked_before_they_leave():
    event = {
        "message": "保存失败：110101199003077774 手机 13812345678",
        "exception": {"values": [{"type": "DataError", "value": "卡号 6222021234567890123 无效",
                                  "stacktrace": {"frames": [{"vars": {"id_number": "'110101199003077774'",
                                                                      "n": 3}}]}}]},
        "request": {"data": {"phone": "13812345678"}, "query_string": "q=110101199003077774"},
        "extra": [("phone", "13812345678")],
    }
    text = repr(before_send(event, {}))
    for secret in ("110101199003077774", "13812345678", "6222021234567890123"):
        assert secret not in text
    assert "110***********7774" in text and "138****5678" in text
    crumb = before_breadcrumb({"message": "SELECT … WHERE phone = '13812345678'"}, {})
    assert "13812345678" not in crumb["message"]


def test_without_a_dsn_nothing_is_started():
    assert init_error_reporting("") is False
