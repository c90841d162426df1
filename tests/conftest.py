"""Test set-up: the suite runs against real PostgreSQL and Redis and stops at once, with one line, when
either is not reachable."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest


def _reachable(url: str, default_port: int) -> tuple[bool, str]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return True, f"{host}:{port}"
    except OSError:
        return False, f"{host}:{port}"


def pytest_configure(config):
    db_url = os.environ.get("DATABASE_URL", "")
    if not db_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        pytest.exit("DATABASE_URL must point at PostgreSQL for the tests (run them with `make test`).", 2)
    ok, where = _reachable(db_url, 5432)
    if not ok:
        pytest.exit(f"PostgreSQL is not reachable at {where} (DATABASE_URL); start it and rerun.", 2)
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.exit("REDIS_URL is not set (run the tests with `make test`).", 2)
    ok, where = _reachable(redis_url, 6379)
    if not ok:
        pytest.exit(f"Redis is not reachable at {where} (REDIS_URL); start it and rerun.", 2)


def _allow_truncate_in_tests(sender, connection, **kwargs):
    """The audit table refuses TRUNCATE (core migration 0005) except in a test database whose session
    says so; pytest-django's flush of transactional tests truncates every table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET kjfz.allow_truncate = 'on'")


def pytest_sessionstart(session):
    from django.db.backends.signals import connection_created

    connection_created.connect(_allow_truncate_in_tests, dispatch_uid="kjfz_allow_truncate")


@pytest.fixture(autouse=True)
def _fresh_data_versions():
    """Cached pages and options (core.dataversion) live in Redis across tests, while each test's rows are
    rolled back: every test starts from new versions, so nothing cached by another test is served."""
    from core import dataversion

    dataversion.bump_all()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Hashing strength is not under test here; the real hasher costs ~0.3 s a login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Field encryption (core.crypto) keys for tests; production reads them from the environment.
    settings.FIELD_ENCRYPTION_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA="]
    settings.BLIND_INDEX_KEY = "test-only-blind-index-key"
    # Issued PDFs are signed (core.signing): a test CA and signing certificate, created once under var/.
    settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_TRUST_ROOT = _test_pki()
    settings.DOCUMENT_SIGNING_PASSPHRASE = TEST_SIGNING_PASSPHRASE


TEST_SIGNING_PASSPHRASE = "test-only-signing-passphrase"


@pytest.fixture(scope="session", autouse=True)
def _test_signing_settings():
    """The test PKI for session-scoped fixtures too (the permission matrix loads the demo data, which
    issues signed documents, before any function-scoped `settings` fixture runs)."""
    from django.conf import settings

    settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_TRUST_ROOT = _test_pki()
    settings.DOCUMENT_SIGNING_PASSPHRASE = TEST_SIGNING_PASSPHRASE


def _test_pki() -> tuple[str, str]:
    from pathlib import Path

    from core.signing import demo_pki_create

    p12, ca = demo_pki_create(
        Path(__file__).resolve().parent.parent / "var" / "test-signing", passphrase=TEST_SIGNING_PASSPHRASE
    )
    return str(p12), str(ca)


@pytest.fixture(autouse=True)
def _migration_rows_in_transactional_tests(request):
    """A transactional test's flush removes rows that data migrations seeded; put back the ones the
    services cannot work without (the policy version in force)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from tests.factories.subsidies import ensure_reference_data

        ensure_reference_data()


@pytest.fixture
def media(settings, tmp_path):
    """Uploads and issued documents under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff():
    """A commission staff member."""
    from accounts.enums import Role
    from tests.factories.accounts import UserFactory

    return UserFactory(roles=[Role.COMMISSION])


@pytest.fixture
def appt(media):
    """A service term from 2025-03-01 (last day 2027-02-28), through the real services."""
    from datetime import date

    from tests.factories import terms as tf

    return tf.appointment(start=date(2025, 3, 1))


@pytest.fixture
def ended(media):
    """A term that started on 2024-01-01, ended by the nightly job (its last day has passed)."""
    from datetime import date

    from projects.enums import AppointmentState
    from terms import services
    from tests.factories import terms as tf

    appt = tf.appointment(start=date(2024, 1, 1))
    services.appointments_end_due(as_of=date(2026, 1, 1))
    appt.refresh_from_db()
    assert appt.state == AppointmentState.ENDED
    return appt


@pytest.fixture
def django_user(db):
    from tests.factories.accounts import UserFactory

    return UserFactory


@pytest.fixture
def otp_login(db):
    """`otp_login(client, user)`: log a user in with the second factor passed (staff-side roles need it;
    `client.force_login` alone lands on the OTP pages). Returns the user's TOTP device."""
    from tests.factories.accounts import otp_login as _otp_login

    return _otp_login


@pytest.fixture
def verified_client(client, otp_login):
    """`verified_client(user)`: the test client, logged in as `user` with OTP passed."""

    def login(user):
        otp_login(client, user)
        return client

    return login


def _reset_celery_connections(app):
    """Forget the result backend and broker pools cached while tasks ran eagerly earlier in the run
    (kombu's global pools stay open: other tests use them)."""
    app._local.__dict__.pop("backend", None)
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def redis_celery():
    """A real Celery worker (solo pool) against this run's Redis, for `celery_worker` tests; the eager
    settings come back afterwards."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    url = os.environ["REDIS_URL"]
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _reset_celery_connections(app)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            yield app
    finally:
        app.conf.update(saved)
        _reset_celery_connections(app)
