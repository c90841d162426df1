"""`manage.py db_grant_app_role ROLE` (run as the tables' owner, after `migrate`): give the portal's
runtime database role what it needs and nothing that could rewrite history (issue 18 item 4).

The role does not own the tables, so it cannot ALTER them, drop or disable the triggers; on the audit
tables it may only INSERT and SELECT (the chain head also UPDATE). docker-compose runs migrations as the
owner (service `migrate`) and the portal, worker and beat as this role."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

APPEND_ONLY = ("core_auditevent", "core_auditanchor")


class Command(BaseCommand):
    help = "Grant the portal's runtime role DML on the tables, INSERT/SELECT only on the audit tables."

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only")
        quoted = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"role {role} does not exist (CREATE ROLE {role} LOGIN PASSWORD …)")
            cursor.execute("SELECT current_schema()")
            schema = connection.ops.quote_name(cursor.fetchone()[0])
            for statement in (
                f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
                f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
                f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {quoted}",
                *(f"REVOKE UPDATE, DELETE ON {connection.ops.quote_name(t)} FROM {quoted}"
                  for t in APPEND_ONLY),
            ):
                cursor.execute(statement)
        tables = ", ".join(APPEND_ONLY)
        self.stdout.write(f"granted {role}: DML on the tables, INSERT/SELECT only on {tables}")
