"""A prize level is never given more often than the cycle's quota: on PostgreSQL a trigger refuses an
insert or update of a prize beyond the quota, and a quota lowered below the prizes already given
(SQLSTATE 23000, raised by Django as IntegrityError). The cycle row is locked first, so two
transactions cannot both take the last place. SQLite relies on the service (locked transaction + check)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION awards_award_quota_check() RETURNS trigger AS $$
DECLARE
    quota integer;
    given integer;
BEGIN
    SELECT CASE NEW.level WHEN 1 THEN quota_first WHEN 2 THEN quota_second WHEN 3 THEN quota_third END
      INTO quota FROM awards_awardcycle WHERE id = NEW.cycle_id FOR UPDATE;
    SELECT count(*) INTO given FROM awards_award
     WHERE cycle_id = NEW.cycle_id AND level = NEW.level AND id <> NEW.id;
    IF given + 1 > coalesce(quota, 0) THEN
        RAISE EXCEPTION 'awards_award: level %% of cycle %% is over its quota of %% (超出获奖名额)',
            NEW.level, NEW.cycle_id, coalesce(quota, 0) USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS awards_award_quota_check ON awards_award;
CREATE TRIGGER awards_award_quota_check
    BEFORE INSERT OR UPDATE OF level, cycle_id ON awards_award
    FOR EACH ROW EXECUTE FUNCTION awards_award_quota_check();

CREATE OR REPLACE FUNCTION awards_cycle_quota_check() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM awards_award a WHERE a.cycle_id = NEW.id GROUP BY a.level
        HAVING count(*) > CASE a.level WHEN 1 THEN NEW.quota_first WHEN 2 THEN NEW.quota_second
                                       WHEN 3 THEN NEW.quota_third END
    ) THEN
        RAISE EXCEPTION 'awards_awardcycle %%: a quota is below the prizes already given (名额少于已评定的奖项)',
            NEW.id USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS awards_cycle_quota_check ON awards_awardcycle;
CREATE TRIGGER awards_cycle_quota_check
    BEFORE UPDATE OF quota_first, quota_second, quota_third ON awards_awardcycle
    FOR EACH ROW EXECUTE FUNCTION awards_cycle_quota_check();
"""

DROP = """
DROP TRIGGER IF EXISTS awards_award_quota_check ON awards_award;
DROP FUNCTION IF EXISTS awards_award_quota_check();
DROP TRIGGER IF EXISTS awards_cycle_quota_check ON awards_awardcycle;
DROP FUNCTION IF EXISTS awards_cycle_quota_check();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
