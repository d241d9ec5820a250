"""PostgreSQL: a GIN index of the bigrams of the participation items' normalised text, so that a search reads
only the texts that can hold the query (``items.ITEMS_PG_INDEX``); strpos() still decides, so the results are
the scan's. Nothing on SQLite (its FTS5 table of bigrams is the index there)."""

from django.db import migrations

from gongkai.search.items import ITEMS_PG_INDEX, ITEMS_PG_INDEX_DROP


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0009_items_pg_storage")]
    operations = [migrations.RunPython(_run(ITEMS_PG_INDEX), _run(ITEMS_PG_INDEX_DROP))]
