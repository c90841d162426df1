"""Issue 18 item 9 — settings: the proxy header is trusted only behind a proxy; seed_demo refuses to run
without DEBUG; `make check-deploy` passes on a plain checkout (throwaway keys of its own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = (
    "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "BEHIND_PROXY",
    "AUDIT_HMAC_KEYS",
)


def _python(code: str, **env_extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SECRETS} | {"DEBUG": "1"} | env_extra
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_proxy_header_is_trusted_only_when_behind_a_proxy():
    code = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');" \
           "django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    assert _python(code).stdout.strip() == "None"
    assert _python(code, BEHIND_PROXY="1").stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
def test_a_client_claiming_https_to_a_directly_exposed_server_is_still_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None  # the default: not behind a proxy
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # BEHIND_PROXY=1
    assert client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_seed_demo_refuses_to_run_without_debug():
    env = {k: v for k, v in os.environ.items() if k not in SECRETS} | {
        "DEBUG": "0",
        "SECRET_KEY": "a-production-like-secret-key-for-this-test-only-0123456789",
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA=",
        "BLIND_INDEX_KEY": "test-only-blind-index-key",
        # A database that does not exist: the refusal comes before any connection.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kjfz_production_like_no_such_db",
    }
    result = subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "seed_demo runs only with DEBUG=1" in result.stderr, result.stderr


def test_make_check_deploy_passes_on_a_plain_checkout():
    """The recipe of `make check-deploy` (printed by `make -n`, so the shared virtualenv is not
    reinstalled) run without any secret in the environment."""
    # Under `make test` the outer make's MAKELEVEL/MAKEFLAGS would make this one print
    # "make[1]: Leaving directory" after the recipe; it is run as a make of its own.
    make_env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    printed = subprocess.run(["make", "--no-print-directory", "-n", "check-deploy"], cwd=ROOT, env=make_env,
                             capture_output=True, text=True, timeout=60).stdout
    recipe = printed[printed.index("DEBUG=0 SECRET_KEY=check-deploy"):]
    for key in ("FIELD_ENCRYPTION_KEYS=", "BLIND_INDEX_KEY=", "AUDIT_HMAC_KEYS="):
        assert key in recipe
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    result = subprocess.run(["bash", "-c", recipe.replace(".venv/bin/python", sys.executable)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
