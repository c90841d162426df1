"""Seed the industry list from enterprises/data/industries.csv; the leading industries (主导产业) are the
ones named in enterprises/data/changping_industries.csv (a copy of the reference data, see its sources).
Staff maintain the list afterwards in the admin."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def leading_names() -> set[str]:
    with (DATA / "changping_industries.csv").open(encoding="utf-8") as f:
        return {row["name"] for row in csv.DictReader(f) if row["item_type"] == "主导产业"}


def load(apps, schema_editor):
    Industry = apps.get_model("enterprises", "Industry")
    leading = leading_names()
    with (DATA / "industries.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Industry.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "disciplines": row["disciplines"],
                    "order": int(row["order"]),
                    "is_leading": row["name"] in leading,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
