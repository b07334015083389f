"""Postings' references checked per statement; lighter indexes; room for balance updates in place.

Why (issue 3 §5, bench/RESULTS.md "Loan engine"): the annual settlement of a million accounts writes
1.6 million postings and rewrites a million cached balances. Measured per 250,000 accounts on
PostgreSQL 15: the three foreign keys cost 2.1 s at commit (a queued trigger, a query and a row lock
per posting per key, NULL keys included), the single-column ``account_id`` index and the full
``reverses_id``/``job_run_id`` indexes 1.0 s of the COPY, and the balance UPDATE 1.8 s because a full
page sends every new row version to a new page and a new primary-key entry. So:

- ``account_id``, ``reverses_id`` and ``job_run_id`` lose their FOREIGN KEY constraints. In their
  place ``loans_posting_references`` (PostgreSQL: one AFTER INSERT trigger per statement over the
  statement's new rows, a join per reference; SQLite: a row trigger) refuses an insert naming an
  account, job run or posting that does not exist, and the referenced side cannot go away:
  accounts are never deleted and their key never changes (``loans_loanaccount_permanent``), a job
  run with postings cannot be deleted (``jobs_jobrun_posted``, which the insert trigger backs with a
  KEY SHARE lock on the few job runs named), postings are append-only (migration 0002).
- The ``account_id`` index goes (``posting_account_date`` starts with it); ``reverses_id`` keeps its
  uniqueness as a partial unique index over the rows that reverse something (``posting_reversed_once``)
  and ``job_run_id`` a partial index; ``posting_date_kind`` becomes ``posting_date``: BRIN on
  PostgreSQL (postings arrive in business-date order: a summary per block range, next to nothing
  per insert), a b-tree on SQLite.
- ``loans_loanaccount`` gets fillfactor 45: the balance row is rewritten by every settlement,
  payment and grading; with room left on its page the new version stays there as a heap-only tuple
  (no index entry), and the old one is pruned at the next visit. (New pages only: an existing
  table reaches it as rows move, or at once with ``VACUUM FULL loans_loanaccount``.)

SQLite rebuilds ``loans_posting`` for the field changes, which drops its triggers and unlisted
indexes: they are created again at the end (so must any later migration that rebuilds the table).
"""

import django.db.models.deletion
from django.db import migrations, models

PG_FORWARD = [
    """
CREATE FUNCTION loans_posting_references() RETURNS trigger AS $$
DECLARE
    lo bigint;
    hi bigint;
    wanted bigint;
    matched bigint;
    missing bigint;
BEGIN
    SELECT min(account_id), max(account_id), count(*) INTO lo, hi, wanted FROM inserted;
    -- One join confined to the inserted id range (a hash or merge over that range), not a probe of
    -- the account index per row nor a hash of every account in the table.
    SELECT count(*) INTO matched FROM inserted n
      JOIN loans_loanaccount a ON a.contract_id = n.account_id AND a.contract_id BETWEEN lo AND hi;
    IF matched <> wanted THEN
        SELECT n.account_id INTO missing FROM inserted n WHERE NOT EXISTS (
            SELECT 1 FROM loans_loanaccount a WHERE a.contract_id = n.account_id) LIMIT 1;
        RAISE EXCEPTION '分录所记账户 % 不存在 / loans_posting: account % does not exist', missing, missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    -- The job runs named (a handful) are locked as a foreign key would: a concurrent DELETE waits.
    PERFORM 1 FROM jobs_jobrun j
      WHERE j.id IN (SELECT DISTINCT job_run_id FROM inserted WHERE job_run_id IS NOT NULL)
      FOR KEY SHARE OF j;
    SELECT n.job_run_id INTO missing FROM inserted n WHERE n.job_run_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM jobs_jobrun j WHERE j.id = n.job_run_id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '分录所属批处理 % 不存在 / loans_posting: job run % does not exist', missing, missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT n.reverses_id INTO missing FROM inserted n WHERE n.reverses_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM loans_posting p WHERE p.id = n.reverses_id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '被冲正的分录 % 不存在 / loans_posting: reversed posting % does not exist', missing,
            missing USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER loans_posting_references AFTER INSERT ON loans_posting
       REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION loans_posting_references();""",
    """
CREATE FUNCTION loans_loanaccount_permanent() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.contract_id <> OLD.contract_id THEN
        RAISE EXCEPTION '贷款账户不可删除或改号 / loans_loanaccount: % of account % refused', TG_OP, OLD.contract_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER loans_loanaccount_permanent BEFORE DELETE OR UPDATE OF contract_id ON loans_loanaccount
       FOR EACH ROW EXECUTE FUNCTION loans_loanaccount_permanent();""",
    """
CREATE FUNCTION jobs_jobrun_posted() RETURNS trigger AS $$
BEGIN
    IF (TG_OP = 'DELETE' OR NEW.id <> OLD.id)
       AND EXISTS (SELECT 1 FROM loans_posting p WHERE p.job_run_id = OLD.id) THEN
        RAISE EXCEPTION '批处理 % 已记账，不可删除 / jobs_jobrun: % refused, postings refer to it', OLD.id, TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
""",
    """CREATE TRIGGER jobs_jobrun_posted BEFORE DELETE OR UPDATE OF id ON jobs_jobrun
       FOR EACH ROW EXECUTE FUNCTION jobs_jobrun_posted();""",
    "CREATE INDEX posting_date ON loans_posting USING brin (business_date)",
    "ALTER TABLE loans_loanaccount SET (fillfactor = 45)",
]
PG_BACKWARD = [
    "ALTER TABLE loans_loanaccount RESET (fillfactor)",
    "DROP INDEX IF EXISTS posting_date",
    "DROP TRIGGER IF EXISTS jobs_jobrun_posted ON jobs_jobrun",
    "DROP FUNCTION IF EXISTS jobs_jobrun_posted()",
    "DROP TRIGGER IF EXISTS loans_loanaccount_permanent ON loans_loanaccount",
    "DROP FUNCTION IF EXISTS loans_loanaccount_permanent()",
    "DROP TRIGGER IF EXISTS loans_posting_references ON loans_posting",
    "DROP FUNCTION IF EXISTS loans_posting_references()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER loans_posting_references BEFORE INSERT ON loans_posting
       WHEN NOT EXISTS (SELECT 1 FROM loans_loanaccount WHERE contract_id = NEW.account_id)
         OR (NEW.job_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM jobs_jobrun WHERE id = NEW.job_run_id))
         OR (NEW.reverses_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM loans_posting WHERE id = NEW.reverses_id))
       BEGIN SELECT RAISE(ABORT, '分录所记账户、批处理或被冲正的分录不存在 / loans_posting: a reference does not exist');
       END;""",
    """CREATE TRIGGER loans_loanaccount_permanent BEFORE DELETE ON loans_loanaccount
       BEGIN SELECT RAISE(ABORT, '贷款账户不可删除 / loans_loanaccount: DELETE refused'); END;""",
    """CREATE TRIGGER loans_loanaccount_key_fixed BEFORE UPDATE OF contract_id ON loans_loanaccount
       WHEN NEW.contract_id <> OLD.contract_id
       BEGIN SELECT RAISE(ABORT, '贷款账户不可改号 / loans_loanaccount: key change refused'); END;""",
    """CREATE TRIGGER jobs_jobrun_posted BEFORE DELETE ON jobs_jobrun
       WHEN EXISTS (SELECT 1 FROM loans_posting WHERE job_run_id = OLD.id)
       BEGIN SELECT RAISE(ABORT, '批处理已记账，不可删除 / jobs_jobrun: postings refer to it'); END;""",
    "CREATE INDEX posting_date ON loans_posting (business_date)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS posting_date",
    "DROP TRIGGER IF EXISTS jobs_jobrun_posted",
    "DROP TRIGGER IF EXISTS loans_loanaccount_key_fixed",
    "DROP TRIGGER IF EXISTS loans_loanaccount_permanent",
    "DROP TRIGGER IF EXISTS loans_posting_references",
]


class APPEND_ONLY:  # noqa: N801 — migration 0002's SQLite triggers, frozen here as 0002 wrote them
    """Rebuilding loans_posting on SQLite dropped migration 0002's append-only triggers with the old
    table; they are created again from this copy (a migration must not import another's module)."""

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
    statements = {"postgresql": PG_FORWARD,
                  "sqlite": APPEND_ONLY.SQLITE_BACKWARD + APPEND_ONLY.SQLITE_FORWARD + SQLITE_FORWARD}
    for sql in statements.get(vendor, []):
        schema_editor.execute(sql, None)


def append_only_again(apps, schema_editor):
    """Backwards, after the field changes are undone (SQLite rebuilt the table once more)."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in APPEND_ONLY.SQLITE_BACKWARD + APPEND_ONLY.SQLITE_FORWARD:
            schema_editor.execute(sql, None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0002_initial'),
        ('loans', '0003_servicing_and_deduction'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, append_only_again),
        migrations.RemoveIndex(
            model_name='posting',
            name='posting_date_kind',
        ),
        migrations.AlterField(
            model_name='posting',
            name='account',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='postings', to='loans.loanaccount', verbose_name='账户'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='job_run',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='jobs.jobrun', verbose_name='批处理'),
        ),
        migrations.AlterField(
            model_name='posting',
            name='reverses',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='loans.posting', verbose_name='冲正的分录'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(condition=models.Q(('job_run__isnull', False)), fields=['job_run'], name='posting_job_run'),
        ),
        migrations.AddConstraint(
            model_name='posting',
            constraint=models.UniqueConstraint(condition=models.Q(('reverses__isnull', False)), fields=('reverses',), name='posting_reversed_once'),
        ),
        migrations.RunPython(forward, backward),
    ]
