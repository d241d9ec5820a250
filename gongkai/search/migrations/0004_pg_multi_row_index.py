"""PostgreSQL: an index of the records that take several rows, and bigram statistics fine enough to plan with."""

from django.db import migrations


def create(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        from gongkai.search.backends.postgres import MULTI_ROW_INDEX, STATISTICS

        with conn.cursor() as cur:
            cur.execute(MULTI_ROW_INDEX)
            cur.execute(STATISTICS)


def drop(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS search_pg_all_multi")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_state_generation")]
    operations = [migrations.RunPython(create, drop)]
