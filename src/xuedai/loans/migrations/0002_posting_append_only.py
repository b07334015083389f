"""The database refuses UPDATE and DELETE on postings (ARCHITECTURE principle 2: append-only ledger).

A mistake is corrected by a counter-posting (services.ledger.posting_reverse), never by editing.
PostgreSQL: a row trigger raising on UPDATE/DELETE (TRUNCATE, a table-level privilege, stays with
the owner: test flushes use it; production revokes it from the application role). SQLite: one
trigger per operation raising ABORT.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION loans_posting_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'loans_posting is append-only: % refused; post a reversal instead', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER loans_posting_append_only BEFORE UPDATE OR DELETE ON loans_posting
    FOR EACH ROW EXECUTE FUNCTION loans_posting_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS loans_posting_append_only ON loans_posting;
DROP FUNCTION IF EXISTS loans_posting_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER loans_posting_no_update BEFORE UPDATE ON loans_posting
       BEGIN SELECT RAISE(ABORT, 'loans_posting is append-only: UPDATE refused; post a reversal instead');
       END;""",
    """CREATE TRIGGER loans_posting_no_delete BEFORE DELETE ON loans_posting
       BEGIN SELECT RAISE(ABORT, 'loans_posting is append-only: DELETE refused; post a reversal instead');
       END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS loans_posting_no_update;",
    "DROP TRIGGER IF EXISTS loans_posting_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [PG_FORWARD], "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql, None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [PG_BACKWARD], "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
