"""A pg_trgm GIN index that serves the talent-pool search (`search_text__icontains`, which PostgreSQL
runs as UPPER(search_text::text) LIKE UPPER('%…%')). Only on PostgreSQL: SQLite (the embedded demo
database) has no trigram indexes and scans the small demo table."""

from django.db import migrations

INDEX = "experts_expert_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON experts_expert '
        'USING gin ((UPPER("search_text"::text)) gin_trgm_ops)'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("experts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
