"""Enterprise.contact_phone encrypted at rest (SPEC §7, issue 18 item 5): the column becomes text holding a
Fernet token (core.crypto), and the rows written before are encrypted in place
(core.crypto.encrypt_column, raw SQL; needs FIELD_ENCRYPTION_KEYS when there are rows). Reversible:
migrating back decrypts them (decrypt_column) before the column is a plain character field again."""

from django.db import migrations

import core.crypto

COLUMNS = [
    ("enterprises_enterprise", "contact_phone"),
]


def encrypt_rows(apps, schema_editor):
    for table, column in COLUMNS:
        core.crypto.encrypt_column(schema_editor, table, column)


def decrypt_rows(apps, schema_editor):
    for table, column in COLUMNS:
        core.crypto.decrypt_column(schema_editor, table, column)


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0004_changping_ground'),
    ]

    operations = [
        migrations.AlterField(
            model_name='enterprise',
            name='contact_phone',
            field=core.crypto.EncryptedPhoneField(max_length=20, verbose_name='联系电话'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
