"""PostgreSQL: was the hash partitioning of the tsvector rows; those tables are gone since 0006."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0004_pg_multi_row_index")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
