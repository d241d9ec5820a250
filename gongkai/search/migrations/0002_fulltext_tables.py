"""The full-text tables of the database in use: FTS5 on SQLite, tsvector chunks with RUM (or GIN) on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_title USING fts5(t, content='', tokenize='ascii', detail='full')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_all USING fts5(t, content='', tokenize='ascii', detail='full')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts_title", "DROP TABLE IF EXISTS search_fts_all"]
PG_DROP = ["DROP TABLE IF EXISTS search_pg_title", "DROP TABLE IF EXISTS search_pg_all"]
# Hash partitions of the text rows (see gongkai.search.backends.postgres.PARTITIONS); a
# database created before migration 0005 gets them there.
PARTITIONS = 2
ALL_TABLE = [
    "CREATE TABLE IF NOT EXISTS search_pg_all (key bigint NOT NULL, seq integer NOT NULL, tsv tsvector NOT NULL, "
    "PRIMARY KEY (key, seq)) PARTITION BY HASH (key)",
    *(f"CREATE TABLE IF NOT EXISTS search_pg_all_p{i} PARTITION OF search_pg_all FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {i})"
      for i in range(PARTITIONS)),
]


def pg_create(method):
    ops = "rum_tsvector_ops" if method == "rum" else "tsvector_ops"
    return [
        "CREATE TABLE IF NOT EXISTS search_pg_title (key bigint PRIMARY KEY, tsv tsvector NOT NULL)",
        *ALL_TABLE,
        f"CREATE INDEX IF NOT EXISTS search_pg_title_tsv ON search_pg_title USING {method} (tsv {ops})",
        f"CREATE INDEX IF NOT EXISTS search_pg_all_tsv ON search_pg_all USING {method} (tsv {ops})",
    ]


def create(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            for sql in SQLITE_CREATE:
                cur.execute(sql)
        elif conn.vendor == "postgresql":
            method = "gin"
            cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
            if cur.fetchone():
                cur.execute("CREATE EXTENSION IF NOT EXISTS rum")
                method = "rum"
            for sql in pg_create(method):
                cur.execute(sql)


def drop(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for sql in SQLITE_DROP if conn.vendor == "sqlite" else PG_DROP:
            cur.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_and_dictionary")]
    operations = [migrations.RunPython(create, drop)]
