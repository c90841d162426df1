"""Seed the outcome kinds of issue 21 item 1 (staff maintain them afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from outcomes.kinds import kind_rows

    OutcomeKind = apps.get_model("outcomes", "OutcomeKind")
    for row in kind_rows():
        code = row.pop("code")
        OutcomeKind.objects.update_or_create(code=code, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_outcomes_kinds_outcomes_targets")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
