"""PostgreSQL: was an index of the records taking several tsvector rows; those tables are gone since 0006."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_state_generation")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
