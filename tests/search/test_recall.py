"""The recall guarantee, on the database in use (SQLite FTS5 or PostgreSQL): random substrings of random records are found.

Found means: in the total count and on one of the pages, whatever the rank.
Run on both engines: ``DATABASE_URL=postgres://… pytest tests/search``.
"""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.ops.bench.search import seed_sentences
from gongkai.records.models import Attachment
from gongkai.search import index, text
from gongkai.search.query import search
from tests import factories

pytestmark = pytest.mark.django_db

EXTRA = "ＡＢＣ２０２１（试行）〔〕[]-_/% \u3000"


@pytest.fixture
def corpus(db):
    rng = random.Random(6)
    sentences = seed_sentences()
    organs = [factories.OrganFactory() for _ in range(3)]
    records = []
    for i in range(24):
        title = rng.choice(sentences)[:rng.randint(6, 30)] + rng.choice(["", "的通知", "（试行）", " ABC"])
        body = "".join(rng.choice(sentences) + rng.choice(["", EXTRA[rng.randrange(len(EXTRA))]]) for _ in range(rng.randint(1, 6)))
        rec = factories.RecordFactory(published=True, title=title, organ=organs[i % 3], body=f"<p>{body}</p>",
                                      doc_no=f"保政办函〔{2015 + i % 7}〕{i + 1}号")
        if i % 4 == 0:
            att = Attachment(record=rec, name=f"附件{i}.txt", size=10, text=rng.choice(sentences) + "附件专用语句" + str(i))
            att.file.save(f"a{i}.txt", SimpleUploadedFile(f"a{i}.txt", b"x"), save=False)
            att.save()
        records.append(rec)
    # one record that is not public: it must never be found
    factories.RecordFactory(title=records[0].title, body=records[0].body)
    index.index_sync([r.pk for r in records])
    return records


def fields(rec):
    out = [rec.title, text.html_to_text(rec.body)]
    out += [a.text for a in rec.attachments.all()]
    return out


def all_pages(q, per_page):
    first = search(q, per_page=per_page, with_snippets=False)
    ids = [h.record.pk for h in first.hits]
    for page in range(2, first.num_pages + 1):
        ids += [h.record.pk for h in search(q, per_page=per_page, page=page, with_snippets=False, with_facets=False).hits]
    return first.total, ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_substrings_of_random_records_are_found(corpus, data):
    rec = data.draw(st.sampled_from(corpus))
    source = data.draw(st.sampled_from(fields(rec)))
    assume_len = len(source)
    if assume_len < 2:
        return
    start = data.draw(st.integers(0, assume_len - 2))
    piece = source[start:start + data.draw(st.integers(2, 16))]
    if len(text.normalize(piece)) < 2:
        return
    pieces = piece.split()
    query = " ".join(pieces)
    total, ids = all_pages(query, per_page=data.draw(st.sampled_from([3, 7, 50])))
    assert rec.pk in ids
    assert total == len(ids) == len(set(ids))
    # every record that holds every piece is found (a plain substring scan is the truth)
    norm_pieces = [text.normalize(p) for p in pieces]
    truth = {r.pk for r in corpus if all(any(p in text.normalize(f) for f in fields(r)) for p in norm_pieces)}
    assert truth <= set(ids)


def test_attachment_hit_names_the_attachment(corpus):
    rec = corpus[4]
    result = search("附件专用语句4")
    assert result.exact_total == 1  # others hold the words 附件, 专用, 语句 and 4 scattered: ranked below
    assert result.hits[0].record.pk == rec.pk
    assert result.hits[0].snippet_source == "附件《附件4.txt》"


@pytest.mark.parametrize("typed", ["保政办函〔2017〕3号", "保政办函[2017]3号", "保政办函2017年3号", "保政办函（2017）第003号", "保政办函3号"])
def test_document_number_in_any_spelling_finds_the_document_first(corpus, typed):
    target = corpus[2]
    assert target.doc_no == "保政办函〔2017〕3号"
    result = search(typed)
    assert result.hits[0].record.pk == target.pk
    assert result.hits[0].tier == 0
