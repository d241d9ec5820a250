"""Two standard 体裁 for answering public concerns (回应关切台账, issue 16): 回应关切 and 新闻发布会.

A concern is answered by a published record of genre 回应关切 or 政策解读, or a press-conference
record; the reference data of 0002 had neither of the two. Codes are stable (``response`` and
``press_conference``); an office that already made a genre of that name keeps it, under the code.
"""

from django.db import migrations

GENRES = [
    # code, name, order (政策解读 is 40, 规划计划 50 in 0002)
    ("response", "回应关切", 42),
    ("press_conference", "新闻发布会", 44),
]


def forwards(apps, schema_editor):
    Genre = apps.get_model("records", "Genre")
    for code, name, order in GENRES:
        if Genre.objects.filter(code=code).exists():
            continue
        genre = Genre.objects.filter(name=name).first()
        if genre is not None:
            genre.code = code
            genre.save(update_fields=["code"])
        else:
            Genre.objects.create(code=code, name=name, is_policy=False, is_interpretation=False, order=order)


def backwards(apps, schema_editor):
    Genre = apps.get_model("records", "Genre")
    Genre.objects.filter(code__in=[code for code, *_ in GENRES], records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0007_record_versions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
