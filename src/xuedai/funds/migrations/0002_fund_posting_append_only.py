"""The database refuses UPDATE and DELETE on fund postings, as on loans_posting (loans migration
0002): the fund's ledger is append-only; a settlement's movement that flows back is a new posting
(COVER_RETURNED, REWARD_RETURNED), never an edit."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION funds_fundposting_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_fundposting is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_fundposting_append_only BEFORE UPDATE OR DELETE ON funds_fundposting
    FOR EACH ROW EXECUTE FUNCTION funds_fundposting_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS funds_fundposting_append_only ON funds_fundposting;
DROP FUNCTION IF EXISTS funds_fundposting_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER funds_fundposting_no_update BEFORE UPDATE ON funds_fundposting
       BEGIN SELECT RAISE(ABORT, 'funds_fundposting is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER funds_fundposting_no_delete BEFORE DELETE ON funds_fundposting
       BEGIN SELECT RAISE(ABORT, 'funds_fundposting is append-only: DELETE refused'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS funds_fundposting_no_update;",
                   "DROP TRIGGER IF EXISTS funds_fundposting_no_delete;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": [PG_FORWARD], "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(sql, None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": [PG_BACKWARD], "sqlite": SQLITE_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
