"""A prize whose payment is paid is never edited or deleted (SPEC §5): on PostgreSQL a trigger refuses it
(SQLSTATE 23000, IntegrityError in Django), like the paid payment rows of subsidies 0003/0007. SQLite
relies on the services."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION awards_award_protect_paid() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM subsidies_payment p WHERE p.id = OLD.payment_id AND p.paid_on IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'awards_award %%: a paid prize is never edited or deleted (已支付的款项不能修改或删除)', OLD.id
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS awards_award_protect_paid ON awards_award;
CREATE TRIGGER awards_award_protect_paid
    BEFORE UPDATE OR DELETE ON awards_award
    FOR EACH ROW EXECUTE FUNCTION awards_award_protect_paid();
"""

DROP = """
DROP TRIGGER IF EXISTS awards_award_protect_paid ON awards_award;
DROP FUNCTION IF EXISTS awards_award_protect_paid();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_award_quota_trigger"), ("subsidies", "0003_payment_paid_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
