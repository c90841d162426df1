"""Building block for encryption at rest (等保 2.0 8.1.4.8 confidentiality of important data; ASVS 6.2,
6.4): Fernet/MultiFernet with key rotation, and a keyed blind index for exact lookups."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from core.crypto import (
    EncryptedTextField,
    blind_index,
    decrypt,
    encrypt,
    rotate_token,
)

ID = "110101199003071234"
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_round_trip_and_no_plaintext_in_the_token():
    token = encrypt(ID)
    assert decrypt(token) == ID
    assert ID not in token and "1234" not in token.split(".")[0]
    assert encrypt(ID) != token  # randomised: equal values do not look equal


def test_key_rotation(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    old_token = encrypt(ID)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]  # new key in front: old data still readable
    assert decrypt(old_token) == ID
    new_token = rotate_token(old_token)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # old key retired after re-encryption
    assert decrypt(new_token) == ID
    with pytest.raises(ValueError, match="无法解密"):
        decrypt(old_token)


def test_without_keys_encryption_refuses_to_run(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        encrypt(ID)
    settings.BLIND_INDEX_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        blind_index(ID)


def test_blind_index_is_keyed_normalised_and_stable(settings):
    first = blind_index(ID)
    assert len(first) == 64 and ID not in first
    assert blind_index(" 110101199003071234 ") == first
    assert blind_index("11010119900307123x") == blind_index("11010119900307123X")
    settings.BLIND_INDEX_KEY = "another-key"
    assert blind_index(ID) != first


def test_deploy_check_reports_missing_keys(settings):
    from core.checks import production_secrets

    settings.FIELD_ENCRYPTION_KEYS = []
    settings.BLIND_INDEX_KEY = ""
    settings.AUDIT_HMAC_KEYS_FROM_ENV = True  # (the audit key's check is tested in test_audit_keyed)
    assert [e.id for e in production_secrets()] == ["core.E101", "core.E102"]
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    settings.BLIND_INDEX_KEY = "k"
    assert production_secrets() == []


def test_field_supports_only_isnull_lookups():
    field = EncryptedTextField()
    assert field.get_lookup("isnull") is not None
    assert field.get_lookup("exact") is None and field.get_lookup("icontains") is None


@pytest.mark.django_db
def test_a_raw_select_shows_no_plaintext():
    field = EncryptedTextField()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE crypto_probe (value text)")
        cursor.execute("INSERT INTO crypto_probe VALUES (%s)", [field.get_db_prep_value(ID, connection)])
        cursor.execute("SELECT value FROM crypto_probe")
        (stored,) = cursor.fetchone()
        cursor.execute("DROP TABLE crypto_probe")
    assert ID not in stored
    assert field.from_db_value(stored, None, connection) == ID
    assert field.get_db_prep_value("", connection) == ""
    assert field.from_db_value(None, None, connection) is None
