"""PostgreSQL: posting-list segments (gongkai.search.postings) replace the tsvector tables.

The old tables are dropped and the index is emptied (its SearchDoc rows
deleted): ``gongkai serve`` indexes every public record again when it
starts (``index_repair``), as does ``gongkai reindex``.
"""

from django.db import migrations

PG_CREATE = [
    "CREATE SEQUENCE IF NOT EXISTS search_pg_seg_id",
    "CREATE TABLE IF NOT EXISTS search_pg_seg (id bigint PRIMARY KEY, ndocs integer NOT NULL, keys bytea NOT NULL, "
    "starts_title bytea NOT NULL, starts_all bytea NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_pg_post (gram bigint NOT NULL, k smallint NOT NULL, seg bigint NOT NULL, "
    "fmt smallint NOT NULL, data bytea NOT NULL, PRIMARY KEY (gram, k, seg))",
    "ALTER TABLE search_pg_post ALTER COLUMN data SET STORAGE EXTERNAL",
    "CREATE INDEX IF NOT EXISTS search_pg_post_seg ON search_pg_post (seg)",
]
PG_DROP_OLD = ["DROP TABLE IF EXISTS search_pg_title", "DROP TABLE IF EXISTS search_pg_all CASCADE"]


def create(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        for sql in PG_DROP_OLD + PG_CREATE:
            cur.execute(sql)
        cur.execute("DELETE FROM search_searchdoc")
        cur.execute("UPDATE search_searchstate SET generation = md5(random()::text)")


def drop(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS search_pg_post")
        cur.execute("DROP TABLE IF EXISTS search_pg_seg")
        cur.execute("DROP SEQUENCE IF EXISTS search_pg_seg_id")
        cur.execute("DELETE FROM search_searchdoc")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_pg_partitions")]
    operations = [migrations.RunPython(create, drop)]
