"""SQLite: an FTS5 table of the participation items' bigrams (row id = SearchItem.id), so that matching them
is an index lookup like the records'. PostgreSQL scans SearchItem.norm (see gongkai.search.items)."""

from django.db import migrations

from gongkai.search.items import ITEMS_FTS_CREATE, ITEMS_FTS_TABLE


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cur:
            cur.execute(ITEMS_FTS_CREATE)
            cur.execute("SELECT id, title, body, meta FROM search_searchitem")
            rows = cur.fetchall()
        from gongkai.search import text

        with schema_editor.connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {ITEMS_FTS_TABLE}(rowid, t) VALUES (%s, %s)",  # noqa: S608
                            [(pk, text.field_tokens(title, body, meta)) for pk, title, body, meta in rows])


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {ITEMS_FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_search_items")]
    operations = [migrations.RunPython(create, drop)]
