"""A paid payment is never edited or deleted: on PostgreSQL a trigger refuses it (SQLState 23000,
which Django raises as IntegrityError), whatever code path tries. SQLite relies on the services."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION subsidies_payment_protect_paid() RETURNS trigger AS $$
BEGIN
    IF OLD.paid_on IS NOT NULL THEN
        RAISE EXCEPTION 'subsidies_payment %%: a paid payment is never edited or deleted (已支付的款项不能修改或删除)', OLD.id
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS subsidies_payment_protect_paid ON subsidies_payment;
CREATE TRIGGER subsidies_payment_protect_paid
    BEFORE UPDATE OR DELETE ON subsidies_payment
    FOR EACH ROW EXECUTE FUNCTION subsidies_payment_protect_paid();
"""

DROP = """
DROP TRIGGER IF EXISTS subsidies_payment_protect_paid ON subsidies_payment;
DROP FUNCTION IF EXISTS subsidies_payment_protect_paid();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0002_policy_2_0")]
    operations = [migrations.RunPython(forwards, backwards)]
