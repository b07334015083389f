"""Set-based writes the ORM has no single statement for (ARCHITECTURE: batch writes are set-based).

Django's bulk_update writes one CASE WHEN per column per row, which PostgreSQL plans slowly for
thousands of rows. Here each is one UPDATE … FROM (VALUES …) — the same SQL on PostgreSQL and on
SQLite ≥ 3.33 — in chunks, so 3,000 receipts are three statements.
"""

from django.db import connection

from .models import Contract

TABLE = Contract._meta.db_table


def update_from_values(rows: list[tuple], columns: list[str], *, casts: dict[str, str] | None = None,
                       chunk: int = 1000) -> None:
    """UPDATE contract SET col = v.col … FROM (VALUES (id, …), …) v WHERE id = v.id.

    `rows` are (id, value, …) in `columns` order; `casts` gives PostgreSQL types for the values
    (VALUES loses them: numeric, date, integer), ignored on SQLite.
    """
    casts = casts or {}
    names = ["id", *columns]
    pg = connection.vendor == "postgresql"
    sets = ", ".join(
        f"{c} = v.{c}" + (f"::{casts[c]}" if pg and c in casts else "") for c in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            marks = ", ".join("(" + ", ".join(["%s"] * len(names)) + ")" for _ in part)
            if pg:
                sql = (f"UPDATE {TABLE} SET {sets} FROM (VALUES {marks}) AS v({', '.join(names)}) "
                       f"WHERE {TABLE}.id = v.id")
            else:  # SQLite names VALUES columns column1, column2 …: alias them in a sub-select
                cols = ", ".join(f"column{i + 1} AS {n}" for i, n in enumerate(names))
                sql = f"UPDATE {TABLE} SET {sets} FROM (SELECT {cols} FROM (VALUES {marks})) AS v " \
                      f"WHERE {TABLE}.id = v.id"
            cursor.execute(sql, [value for row in part for value in row])


def number_in_order(batch_id: int, start: int) -> None:
    """archive_no = start, start + 1, … for the batch's unnumbered contracts, in contract-number order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET archive_no = v.n FROM ("
            f"  SELECT id, ROW_NUMBER() OVER (ORDER BY contract_no) + %s - 1 AS n FROM {TABLE}"
            f"  WHERE batch_id = %s AND archive_no IS NULL) AS v WHERE {TABLE}.id = v.id",
            [start, batch_id])
