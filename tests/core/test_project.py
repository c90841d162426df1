"""The project's set-up: migrations in step with models, the deployment compose file, settings."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrations_match_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


def test_compose_file_has_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")
        assert set(services[name]["depends_on"]) >= {"postgres", "redis"}


def test_static_assets_are_vendored_not_from_a_cdn():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "vendor/bootstrap/css/bootstrap.min.css" in base
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "cdn." not in text and "https://" not in text, template


def test_translation_catalogues_exist_for_both_languages():
    for lang in ("zh_Hans", "en"):
        assert (ROOT / "locale" / lang / "LC_MESSAGES" / "django.po").exists()


def test_check_deploy_is_clean_with_production_settings():
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x7$kq-production-like-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "kjfz.changping.gov.cn",
        "SECURE_SSL_REDIRECT": "1",
        # Production has its encryption keys (bank accounts use core.crypto.EncryptedTextField).
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA=",
        "BLIND_INDEX_KEY": "production-like-blind-index-key",
        "AUDIT_HMAC_KEYS": "a1:production-like-audit-hmac-key",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


SECRETS = (
    "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_HMAC_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _manage(*args, env_extra=None):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in SECRETS} | {"DEBUG": "0"} | (env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_refuses_missing_production_secrets():
    result = _manage("check", "--deploy")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for code in ("core.E100", "core.E101", "core.E102"):
        assert code in output, output
    assert "SECRET_KEY must be set" in output


def test_server_refuses_a_request_without_secret_key_when_debug_is_off():
    script = "from django.test import Client; Client().get('/accounts/login/')"
    result = _manage("shell", "-c", script)
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_development_commands_run_without_production_secrets():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_uploads_are_not_served_by_url(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 private")
    assert client.get(f"{settings.MEDIA_URL}secret.pdf").status_code == 404
