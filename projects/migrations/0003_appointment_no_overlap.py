"""No two appointments of one expert overlap in time (SPEC §4), enforced by PostgreSQL: an exclusion
constraint over the expert and the closed date range from the start to the effective end (the
termination date, else the end date, which includes approved extensions). btree_gist provides the
equality operator class for the expert column. SQLite (the embedded demo) has no exclusion constraints:
there `projects.services.appointment_create` is the check."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE projects_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap_per_expert;
ALTER TABLE projects_appointment ADD CONSTRAINT appointment_no_overlap_per_expert
    EXCLUDE USING gist (
        expert_id WITH =,
        daterange(start_date, COALESCE(terminated_on, end_date), '[]') WITH &&
    );
"""

DROP = "ALTER TABLE projects_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap_per_expert;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
