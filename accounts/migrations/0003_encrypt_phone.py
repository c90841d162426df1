"""User.phone encrypted at rest (SPEC §7, issue 18 item 5): the column becomes text holding a Fernet token
(core.crypto), and the rows written before are encrypted in place (core.crypto.encrypt_column, raw SQL;
needs FIELD_ENCRYPTION_KEYS when there are rows). Reversible: migrating back decrypts them
(decrypt_column) before the column is a plain character field again."""

from django.db import migrations

import core.crypto

COLUMNS = [
    ("accounts_user", "phone"),
]


def encrypt_rows(apps, schema_editor):
    for table, column in COLUMNS:
        core.crypto.encrypt_column(schema_editor, table, column)


def decrypt_rows(apps, schema_editor):
    for table, column in COLUMNS:
        core.crypto.decrypt_column(schema_editor, table, column)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_usersession'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='phone',
            field=core.crypto.EncryptedPhoneField(blank=True, max_length=20, verbose_name='手机号码'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
