#!/bin/sh
# First start of the database container: the portal's runtime role (issue 18 item 4). It owns nothing, so
# it cannot alter the tables or disable the audit table's triggers; `manage.py db_grant_app_role` (the
# compose service `migrate`, as the owner) grants it DML after each migration.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE kjfz_app LOGIN PASSWORD '${KJFZ_APP_DB_PASSWORD:?set KJFZ_APP_DB_PASSWORD in .env}'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
SQL
