"""The posting lists of the PostgreSQL engine, without a database: a piece's documents are exactly those holding it."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import postings, text

# Few distinct characters (so that pieces recur), of 1- to 4-byte UTF-8, and the separators a stream holds.
ALPHABET = "政务公开工作要点年（）〔〕，。ab1é\U00020000"
TEXTS = st.lists(st.text(alphabet=ALPHABET, max_size=60), min_size=1, max_size=25)


def docs_of(segment, piece):
    piece = text.normalize(piece)  # as a query is
    return list(postings.piece_docs(segment.starts, piece, lambda kind, code: segment.lists[kind].get(code)))


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.data())
def test_a_piece_finds_exactly_the_documents_holding_it(texts, data):
    segment = postings.build([postings.stream(t) for t in texts])
    for _ in range(8):
        source = data.draw(st.sampled_from(texts))
        if source and data.draw(st.booleans()):
            start = data.draw(st.integers(0, len(source) - 1))
            piece = source[start:start + data.draw(st.integers(1, 12))]
        else:
            piece = data.draw(st.text(alphabet=ALPHABET, min_size=1, max_size=6))
        norm = text.normalize(piece)
        if norm:
            assert docs_of(segment, piece) == [i for i, t in enumerate(texts) if norm in text.normalize(t)], piece


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=4), min_size=1, max_size=10),
       st.text(alphabet=ALPHABET, min_size=1, max_size=8))
def test_no_piece_runs_across_two_fields(records, piece):
    segment = postings.build([postings.stream(*fields) for fields in records])
    norm = text.normalize(piece)
    if norm:
        assert docs_of(segment, piece) == [i for i, fields in enumerate(records)
                                           if any(norm in text.normalize(f) for f in fields)]


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_lists_survive_storage_and_hold_the_whole_text(texts):
    streams = [postings.stream(t) for t in texts]
    segment = postings.build(streams)
    total = int(segment.starts[-1])
    for kind, lists in segment.lists.items():
        for i in range(len(lists)):
            values = lists.values[lists.bounds[i]:lists.bounds[i + 1]]
            assert list(values) == sorted(set(values.tolist()))
            fmt, data = postings.encode(kind, values, segment.ndocs, total)
            assert np.array_equal(postings.decode(fmt, data, segment.ndocs), values)
    pos = segment.lists[postings.POS]
    positional = {int(g): pos.values[pos.bounds[i]:pos.bounds[i + 1]] for i, g in enumerate(pos.grams)}
    assert postings.text_of(segment.starts, positional).tobytes() == postings.codepoints("".join(streams)).tobytes()


def test_dense_document_lists_are_bitmaps_and_sparse_ones_integers():
    values = np.arange(0, 1000, 2)
    assert postings.encode(postings.BI, values, 1000, 0)[0] == postings.BITMAP
    assert postings.encode(postings.BI, np.array([3, 70_000]), 80_000, 0)[0] == postings.U32
    assert postings.encode(postings.BI, np.array([3, 7]), 1000, 0)[0] == postings.U16
    assert postings.encode(postings.POS, np.array([3, 7]), 1000, 2**33)[0] == postings.U64


def test_long_pieces_are_tiled_by_every_third_trigram_and_the_last():
    assert [d for _, _, d in postings.needs("行政规范性文件")] == [0, 3, 4]
    assert [k for k, _, _ in postings.needs("行政规范性文件")] == [postings.POS] * 3
    assert [k for k, _, _ in postings.needs("政")] == [postings.UNI]
    assert [k for k, _, _ in postings.needs("政务")] == [postings.BI]
    assert [k for k, _, _ in postings.needs("政务公")] == [postings.TRI]
    texts = ["行政规范性文件管理办法", "规范性文件", "行政规范性文", "x行政规范性文件"]
    assert docs_of(postings.build([postings.stream(t) for t in texts]), "行政规范性文件") == [0, 3]


def test_empty_documents_and_batches():
    segment = postings.build(["", postings.stream("政务"), ""])
    assert segment.ndocs == 3
    assert docs_of(segment, "政务") == [1] and docs_of(segment, "务") == [1] and docs_of(segment, "公开") == []
    assert postings.build([]).ndocs == 0


@given(TEXTS)
def test_character_lists_are_the_same_from_the_grid_and_from_sorting(texts):
    streams = [postings.stream(t) for t in texts]
    grid = postings.build(streams).lists[postings.UNI]
    limit, postings.GRID_LIMIT = postings.GRID_LIMIT, 0
    try:
        sorted_ = postings.build(streams).lists[postings.UNI]
    finally:
        postings.GRID_LIMIT = limit
    for name in ("grams", "bounds", "values"):
        assert np.array_equal(getattr(grid, name), getattr(sorted_, name)), name
    # And each is what the texts hold: the documents of every character, ascending.
    for code, start, end in zip(grid.grams, grid.bounds, grid.bounds[1:], strict=False):
        holding = [i for i, s in enumerate(streams) if chr(code) in s]
        assert list(grid.values[start:end]) == holding
