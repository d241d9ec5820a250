"""File 回应关切 and 新闻发布会 records under the standard 政策解读 entry, beside 政策解读 itself.

Only entries (the standard catalog's and organs' copies, by code ``interpretation``) whose rule is still
the standard one — the 政策解读 genre alone, no topics, no keywords — are extended; an office's own rule stays.
"""

from django.db import migrations

ADDED = ["response", "press_conference"]


def forwards(apps, schema_editor):
    CatalogEntry = apps.get_model("records", "CatalogEntry")
    Genre = apps.get_model("records", "Genre")
    added = list(Genre.objects.filter(code__in=ADDED))
    if not added:
        return
    for entry in CatalogEntry.objects.filter(code="interpretation", rule_keywords=""):
        if entry.rule_topics.exists():
            continue
        if sorted(entry.rule_genres.values_list("code", flat=True)) != ["interpretation"]:
            continue
        entry.rule_genres.add(*added)


def backwards(apps, schema_editor):
    CatalogEntry = apps.get_model("records", "CatalogEntry")
    Genre = apps.get_model("records", "Genre")
    added = list(Genre.objects.filter(code__in=ADDED))
    for entry in CatalogEntry.objects.filter(code="interpretation"):
        entry.rule_genres.remove(*added)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0008_response_genres"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
