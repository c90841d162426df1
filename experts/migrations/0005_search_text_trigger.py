"""The talent pool's search text is kept by PostgreSQL itself (issue 17), so that no write path — a form,
the spreadsheet import, the admin, the demo seed, the bench generator's bulk insert, a raw SQL fix — can
leave it empty or stale:

- `experts_expert.search_text` is set by a BEFORE INSERT OR UPDATE trigger from the columns the pool and
  the profile show: name, keywords, research fields, department, title, the institution's name and short
  name, the discipline's name and the titles of the expert's achievements.
- `experts_expert.search_grams` (a text[] the ORM does not know) holds the distinct character bigrams of
  that text (lower case, split at anything that is not a letter or digit); a GIN index on it finds the
  rows that can contain a query term — including two-character Chinese terms such as 储能, which a
  trigram index cannot serve — and `LIKE` on `search_text` confirms the substring.
- Writes to achievements, institution names and discipline names touch the experts concerned (statement
  triggers with transition tables: one UPDATE per statement, not one per row).

The trigram index of 0002 is dropped: the bigram index serves every term of two characters or more.
SQLite (the embedded demo) has none of this; there `experts.services.search_text_for` fills the column.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION kjfz_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
    SELECT substr(w, i, 2) AS g
    FROM regexp_split_to_table(lower(coalesce(t, '')), '[^[:alnum:]]+') AS w,
         generate_series(1, greatest(length(w) - 1, 1)) AS i
    WHERE w <> '') s
$$;

CREATE OR REPLACE FUNCTION experts_expert_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := concat_ws(' ',
    nullif(btrim(NEW.name), ''),
    nullif(btrim(NEW.keywords), ''),
    nullif(btrim(NEW.research_fields), ''),
    nullif(btrim(NEW.department), ''),
    nullif(btrim(NEW.title), ''),
    (SELECT nullif(concat_ws(' ', nullif(btrim(i.name), ''), nullif(btrim(i.short_name), '')), '')
       FROM experts_institution i WHERE i.id = NEW.institution_id),
    (SELECT nullif(btrim(d.name), '') FROM experts_discipline d WHERE d.id = NEW.discipline_id),
    (SELECT string_agg(btrim(a.title), ' ' ORDER BY a."order", a.id)
       FROM experts_achievement a WHERE a.expert_id = NEW.id AND btrim(a.title) <> ''));
  NEW.search_grams := kjfz_bigrams(NEW.search_text);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION experts_achievement_touch_new() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experts_expert SET search_text = '' WHERE id IN (SELECT DISTINCT expert_id FROM new_rows);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION experts_achievement_touch_old() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experts_expert SET search_text = '' WHERE id IN (SELECT DISTINCT expert_id FROM old_rows);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION experts_achievement_touch_both() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experts_expert SET search_text = ''
  WHERE id IN (SELECT expert_id FROM new_rows UNION SELECT expert_id FROM old_rows);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION experts_institution_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experts_expert SET search_text = '' WHERE institution_id IN (
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.name IS DISTINCT FROM o.name OR n.short_name IS DISTINCT FROM o.short_name);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION experts_discipline_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experts_expert SET search_text = '' WHERE discipline_id IN (
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name);
  RETURN NULL;
END $$;
"""

TABLES = r"""
ALTER TABLE experts_expert ADD COLUMN search_grams text[] NOT NULL DEFAULT '{}';

CREATE TRIGGER experts_expert_search_text BEFORE INSERT OR UPDATE ON experts_expert
  FOR EACH ROW EXECUTE FUNCTION experts_expert_search_text();
CREATE TRIGGER experts_achievement_search_ins AFTER INSERT ON experts_achievement
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experts_achievement_touch_new();
CREATE TRIGGER experts_achievement_search_upd AFTER UPDATE ON experts_achievement
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION experts_achievement_touch_both();
CREATE TRIGGER experts_achievement_search_del AFTER DELETE ON experts_achievement
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION experts_achievement_touch_old();
CREATE TRIGGER experts_institution_search AFTER UPDATE ON experts_institution
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION experts_institution_touch();
CREATE TRIGGER experts_discipline_search AFTER UPDATE ON experts_discipline
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION experts_discipline_touch();

UPDATE experts_expert SET search_text = '';
CREATE INDEX experts_expert_search_grams ON experts_expert USING gin (search_grams);
DROP INDEX IF EXISTS experts_expert_search_trgm;
"""

FORWARD = FUNCTIONS + TABLES

BACKWARD = r"""
DROP TRIGGER IF EXISTS experts_expert_search_text ON experts_expert;
DROP TRIGGER IF EXISTS experts_achievement_search_ins ON experts_achievement;
DROP TRIGGER IF EXISTS experts_achievement_search_upd ON experts_achievement;
DROP TRIGGER IF EXISTS experts_achievement_search_del ON experts_achievement;
DROP TRIGGER IF EXISTS experts_institution_search ON experts_institution;
DROP TRIGGER IF EXISTS experts_discipline_search ON experts_discipline;
DROP FUNCTION IF EXISTS experts_expert_search_text();
DROP FUNCTION IF EXISTS experts_achievement_touch_new();
DROP FUNCTION IF EXISTS experts_achievement_touch_old();
DROP FUNCTION IF EXISTS experts_achievement_touch_both();
DROP FUNCTION IF EXISTS experts_institution_touch();
DROP FUNCTION IF EXISTS experts_discipline_touch();
ALTER TABLE experts_expert DROP COLUMN IF EXISTS search_grams;
DROP FUNCTION IF EXISTS kjfz_bigrams(text);
CREATE INDEX IF NOT EXISTS experts_expert_search_trgm ON experts_expert
  USING gin ((UPPER("search_text"::text)) gin_trgm_ops);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("experts", "0004_pool_list_indexes")]

    operations = [migrations.RunPython(forward, backward)]
