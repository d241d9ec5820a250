"""PostgreSQL: keep the participation items' normalised text uncompressed (STORAGE EXTERNAL); a search scans it,
and compressed texts would all be decompressed by every query (gongkai bench search-items: p50 530 → 132 ms
for 10,000 items on a loaded two-core machine)."""

from django.db import migrations

from gongkai.search.items import ITEMS_PG_STORAGE


def store_uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(ITEMS_PG_STORAGE)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_items_fts")]
    operations = [migrations.RunPython(store_uncompressed, migrations.RunPython.noop)]
