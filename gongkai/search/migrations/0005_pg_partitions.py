"""PostgreSQL: the text rows in hash partitions, so that their indexes are built and searched on several cores at once.

A table made by an earlier migration 0002 is moved into the partitioned one
(rows copied, then the old table dropped); one made since is partitioned already.
"""

import importlib

from django.db import migrations


def _is_partitioned(cur) -> bool:
    cur.execute("SELECT relkind FROM pg_class WHERE relname = 'search_pg_all'")
    row = cur.fetchone()
    return bool(row) and row[0] == "p"


def create(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    from gongkai.search.backends.postgres import PostgresBackend

    first = importlib.import_module("gongkai.search.migrations.0002_fulltext_tables")

    with conn.cursor() as cur:
        if _is_partitioned(cur):
            return
        cur.execute("ALTER TABLE search_pg_all RENAME TO search_pg_all_unpartitioned")
        for name in ("search_pg_all_tsv", "search_pg_all_multi", "search_pg_all_pkey"):
            cur.execute(f"ALTER INDEX IF EXISTS {name} RENAME TO {name}_unpartitioned")
        for sql in first.ALL_TABLE:
            cur.execute(sql)
        cur.execute("INSERT INTO search_pg_all (key, seq, tsv) SELECT key, seq, tsv FROM search_pg_all_unpartitioned")
        cur.execute("DROP TABLE search_pg_all_unpartitioned")
    backend = PostgresBackend(conn)
    with conn.cursor() as cur:
        for sql in backend.index_statements():
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_pg_multi_row_index")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
