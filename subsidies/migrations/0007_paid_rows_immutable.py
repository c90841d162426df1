"""Paid money rows are never edited or deleted (SPEC §5), on PostgreSQL whatever code path tries — the
payment trigger of 0003 extended to every row that records a paid amount (SQLSTATE 23000, raised by Django
as IntegrityError):

- an allowance month (AllowancePayment) once its district payment is paid or the enterprise confirmed its
  matching payment;
- a subsidy instalment once its payment is paid;
- a paid batch's header (PaymentBatch in state "paid").

SQLite (the demo quick start) relies on the services, like 0003.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION subsidies_allowance_protect_paid() RETURNS trigger AS $$
BEGIN
    IF OLD.confirmed_on IS NOT NULL OR EXISTS (
        SELECT 1 FROM subsidies_payment p WHERE p.allowance_id = OLD.id AND p.paid_on IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'subsidies_allowancepayment %%: a paid allowance month is never edited or deleted (已支付的款项不能修改或删除)', OLD.id
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS subsidies_allowance_protect_paid ON subsidies_allowancepayment;
CREATE TRIGGER subsidies_allowance_protect_paid
    BEFORE UPDATE OR DELETE ON subsidies_allowancepayment
    FOR EACH ROW EXECUTE FUNCTION subsidies_allowance_protect_paid();

CREATE OR REPLACE FUNCTION subsidies_instalment_protect_paid() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM subsidies_payment p WHERE p.id = OLD.payment_id AND p.paid_on IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'subsidies_subsidyinstalment %%: a paid instalment is never edited or deleted (已支付的款项不能修改或删除)', OLD.id
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS subsidies_instalment_protect_paid ON subsidies_subsidyinstalment;
CREATE TRIGGER subsidies_instalment_protect_paid
    BEFORE UPDATE OR DELETE ON subsidies_subsidyinstalment
    FOR EACH ROW EXECUTE FUNCTION subsidies_instalment_protect_paid();

CREATE OR REPLACE FUNCTION subsidies_batch_protect_paid() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'paid' THEN
        RAISE EXCEPTION 'subsidies_paymentbatch %%: a paid batch is never edited or deleted (已支付的批次不能修改或删除)', OLD.id
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS subsidies_batch_protect_paid ON subsidies_paymentbatch;
CREATE TRIGGER subsidies_batch_protect_paid
    BEFORE UPDATE OR DELETE ON subsidies_paymentbatch
    FOR EACH ROW EXECUTE FUNCTION subsidies_batch_protect_paid();
"""

DROP = """
DROP TRIGGER IF EXISTS subsidies_allowance_protect_paid ON subsidies_allowancepayment;
DROP FUNCTION IF EXISTS subsidies_allowance_protect_paid();
DROP TRIGGER IF EXISTS subsidies_instalment_protect_paid ON subsidies_subsidyinstalment;
DROP FUNCTION IF EXISTS subsidies_instalment_protect_paid();
DROP TRIGGER IF EXISTS subsidies_batch_protect_paid ON subsidies_paymentbatch;
DROP FUNCTION IF EXISTS subsidies_batch_protect_paid();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0006_batch_changes")]
    operations = [migrations.RunPython(forwards, backwards)]
