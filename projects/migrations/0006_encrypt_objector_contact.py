"""Objection.objector_contact (an e-mail address or a phone number) encrypted at rest (SPEC §7, issue 18
item 5): the column becomes text holding a Fernet token (core.crypto), and the rows written before are
encrypted in place (core.crypto.encrypt_column, raw SQL; needs FIELD_ENCRYPTION_KEYS when there are
rows). Reversible: migrating back decrypts them (decrypt_column) before the column is a plain character
field again."""

from django.db import migrations

import core.crypto

COLUMNS = [
    ("projects_objection", "objector_contact"),
]


def encrypt_rows(apps, schema_editor):
    for table, column in COLUMNS:
        core.crypto.encrypt_column(schema_editor, table, column)


def decrypt_rows(apps, schema_editor):
    for table, column in COLUMNS:
        core.crypto.decrypt_column(schema_editor, table, column)


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0005_merge_20261205_0721'),
    ]

    operations = [
        migrations.AlterField(
            model_name='objection',
            name='objector_contact',
            field=core.crypto.EncryptedTextField(max_length=100, verbose_name='联系方式'),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
