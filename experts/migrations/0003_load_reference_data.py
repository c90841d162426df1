from django.db import migrations


def load(apps, schema_editor):
    from experts.reference import load_reference_data

    load_reference_data(apps.get_model("experts", "Discipline"), apps.get_model("experts", "Institution"))


class Migration(migrations.Migration):

    dependencies = [
        ("experts", "0002_expert_search_trigram"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
