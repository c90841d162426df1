"""Item 7 — security headers (ASVS 14.4; 等保 2.0 8.1.4.4 intrusion prevention): a Content Security
Policy without inline script, and HSTS, secure cookies and SSL redirect in production."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


@pytest.mark.parametrize(
    "template", sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_template_has_inline_script(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to static/js/"
    assert not INLINE_HANDLER.search(text), "inline event handler (onclick=…): use static/js/portal.js"
    assert not JS_URL.search(text)


def test_the_language_selector_is_driven_by_the_vendored_script():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "{% static 'js/portal.js' %}" in base
    assert "data-autosubmit" in base
    assert "select[data-autosubmit]" in (ROOT / "static" / "js" / "portal.js").read_text()


def _settings_values(extra_env: dict) -> dict:
    unset = {"DEBUG", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(extra_env)
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', "
        "'FIELD_ENCRYPTION_KEYS', 'BLIND_INDEX_KEY')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_force_https_hsts_and_secure_cookies():
    values = _settings_values({
        "DEBUG": "0", "SECRET_KEY": "x7$kq-production-like-secret-key-0123456789", "SECURE_SSL_REDIRECT": "1",
    })
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True and values["CSRF_COOKIE_HTTPONLY"] is True
    # Production has no derived encryption keys: they must come from the environment.
    assert values["FIELD_ENCRYPTION_KEYS"] == [] and values["BLIND_INDEX_KEY"] == ""


def test_development_settings_derive_encryption_keys_from_the_secret_key():
    values = _settings_values({"DEBUG": "1", "SECRET_KEY": "dev-secret"})
    assert len(values["FIELD_ENCRYPTION_KEYS"]) == 1 and len(values["BLIND_INDEX_KEY"]) == 64
    again = _settings_values({"DEBUG": "1", "SECRET_KEY": "dev-secret"})
    assert again == values


@pytest.mark.django_db
def test_hsts_header_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
