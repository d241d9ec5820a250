"""Posting lists of characters, bigrams and trigrams, built and intersected with numpy (the PostgreSQL engine).

A *segment* indexes a batch of documents. Their normalised texts (each field
ending with :data:`text.END`) are laid end to end; a character's *offset* is
its place in that concatenation, and ``starts`` gives where each document
begins. For every distinct n-gram the segment keeps:

- the sorted documents holding each character, bigram and trigram (*doc
  lists*): a piece of one, two or three characters is exactly one list;
- the sorted offsets of each trigram (*positional lists*): a longer piece
  occurs at an offset exactly where the trigrams that tile it (every third
  one, and the last) sit at their distances from that offset. That is an
  intersection of sorted arrays, shifted by the distances.

A piece never holds END or a line break (queries are normalised without
white space), so no match runs across two fields or two documents. Every
offset starts a trigram (the concatenation is padded with two END marks), so
the positional lists hold the whole text: a segment can be rebuilt from them
(:func:`text_of`), which is how small segments are merged.

Why trigrams and not bigrams: common bigrams are dense (公开 74 times a
record in the benchmark corpus: 30 MB for 100,000 records), while a query's
trigrams are nearly as rare as its words (at most 4 MB read for any
benchmark query). Why not tsvectors: building PostgreSQL's RUM index took
2.6 ms of CPU a record, over the whole budget of 1,000 records/s on two
cores, and checking positions in it took up to 170 ms a query.

Nothing here touches a database: :mod:`gongkai.search.backends.postgres`
stores the lists and fetches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import text

CHAR_BITS = 21
MAX_CHAR = 0x110000
PAD = ord(text.END)
FIELD_JOIN = text.FIELD_SEP * 2
# What a list holds (PostgreSQL column ``k`` = scope * 4 + kind).
UNI, BI, TRI, POS = 0, 1, 2, 3
SCOPES = {"title": 0, "all": 1}
# How a list is stored (column ``fmt``).
U16, U32, U64, BITMAP = 0, 1, 2, 3
DTYPES = {U16: np.dtype("<u2"), U32: np.dtype("<u4"), U64: np.dtype("<u8")}
EMPTY = np.empty(0, dtype=np.int64)


def stream(*fields: str) -> str:
    """The normalised text of some fields, each ending with :data:`text.END`, kept apart by line breaks."""
    return FIELD_JOIN.join(norm + text.END for norm in (text.normalize(f) for f in fields) if norm)


def record_streams(fields: tuple[str, ...]) -> tuple[str, str]:
    """(title, everything) of a record given as in :func:`text.record_tokens`."""
    plain = list(fields)
    if len(plain) > text.BODY:
        plain[text.BODY] = text.html_to_text(plain[text.BODY])
    return stream(plain[0]), stream(*plain)


def codepoints(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def gram_code(piece: str) -> int:
    """The id of a character, bigram or trigram: its code points side by side (21 bits each)."""
    code = 0
    for ch in piece:
        code = (code << CHAR_BITS) | ord(ch)
    return code


@dataclass(frozen=True)
class Lists:
    """Posting lists of one kind: the values of ``grams[i]`` are ``values[bounds[i]:bounds[i + 1]]``."""

    grams: np.ndarray  # int64, ascending, unique
    bounds: np.ndarray  # int64, len(grams) + 1
    values: np.ndarray  # int64: documents, or offsets

    def __len__(self) -> int:
        return len(self.grams)

    def get(self, code: int) -> np.ndarray:
        i = int(np.searchsorted(self.grams, code))
        if i == len(self.grams) or self.grams[i] != code:
            return EMPTY
        return self.values[self.bounds[i]:self.bounds[i + 1]]


@dataclass(frozen=True)
class Segment:
    """The lists of one batch of documents for one scope; ``starts`` (len ndocs + 1) cuts the offsets into documents."""

    starts: np.ndarray
    lists: dict[int, Lists]

    @property
    def ndocs(self) -> int:
        return len(self.starts) - 1


def build(texts: Sequence[str]) -> Segment:
    """The segment of documents given as streams (see :func:`stream`)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    return build_codepoints(codepoints("".join(texts)), lengths)


def build_codepoints(cps: np.ndarray, lengths: np.ndarray) -> Segment:
    """The segment of documents whose code points are laid end to end in ``cps`` (``lengths`` each)."""
    starts = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    total = len(cps)
    ndocs = len(lengths)
    padded = np.empty(total + 2, dtype=np.uint32)
    padded[:total] = cps
    padded[total:] = PAD
    present = np.zeros(MAX_CHAR, dtype=bool)
    present[padded] = True
    chars = np.flatnonzero(present)
    dense = np.zeros(MAX_CHAR, dtype=np.int64)
    dense[chars] = np.arange(len(chars))
    d = dense[padded]
    cbits = max(1, int(len(chars) - 1).bit_length())
    obits = max(1, int(total).bit_length())
    dbits = max(1, int(ndocs - 1).bit_length())
    mark = dense[PAD]
    doc_all = np.repeat(np.arange(ndocs, dtype=np.int64), lengths)
    # Positional trigram lists: one sort of (trigram, offset) packed in an int64.
    tri = d[:-2] << (2 * cbits)
    tri |= d[1:-1] << cbits
    tri |= d[2:]
    if 3 * cbits + obits <= 63:
        packed = tri << obits
        packed |= np.arange(total, dtype=np.int64)
        packed.sort()
        tri_sorted = packed >> obits
        packed &= (1 << obits) - 1
        offsets = packed
    else:
        offsets = np.argsort(tri, kind="stable")
        tri_sorted = tri[offsets]
    del tri
    lists = {POS: _grouped(tri_sorted, offsets, chars, cbits, 3)}
    # Doc lists: trigrams come sorted by (trigram, offset), so by (trigram, document) too.
    docs = doc_all[offsets]
    keep = np.empty(total, dtype=bool)
    if total:
        keep[0] = True
        np.not_equal(tri_sorted[1:], tri_sorted[:-1], out=keep[1:])
        keep[1:] |= docs[1:] != docs[:-1]
    tri_docs, docs = tri_sorted[keep], docs[keep]
    del tri_sorted, keep
    lists[TRI] = _drop_marks(_grouped(tri_docs, docs, chars, cbits, 3), 3)
    # Bigram doc lists from the (trigram, document) pairs: every bigram starts a
    # trigram (the text ends with two marks), and these pairs are already unique,
    # so fewer are sorted than the text has characters.
    pairs = tri_docs >> cbits  # the first two characters
    first, second = pairs >> cbits, pairs & ((1 << cbits) - 1)
    pairs <<= dbits
    pairs |= docs
    lists[BI] = _unpack_sorted(pairs[(first != mark) & (second != mark)], dbits, chars, cbits, 2)
    del pairs, first, second, tri_docs, docs
    text_chars = d[:-2] != mark
    lists[UNI] = _char_docs(d[:-2][text_chars], doc_all[text_chars], len(chars), ndocs, chars, cbits, dbits)
    return Segment(starts=starts, lists=lists)


GRID_LIMIT = 256 * 1024 * 1024  # bytes of a (document × character) grid; a larger segment sorts instead


def _char_docs(dense_chars: np.ndarray, docs: np.ndarray, nchars: int, ndocs: int, chars, cbits, dbits) -> Lists:
    """The documents of each character: marked in a (document × character) grid, read column by column.

    A segment has a few thousand distinct characters, so the grid of 10,000
    documents is about 50 MB, and marking it in text order is far cheaper than
    sorting the 37 million (character, document) pairs (2.4 s a segment).
    """
    if nchars * ndocs > GRID_LIMIT:
        wide = np.uint32 if cbits + dbits <= 32 else np.int64
        singles = dense_chars.astype(wide) << wide(dbits)
        singles |= docs.astype(wide)
        return _unpack_sorted(singles, dbits, chars, cbits, 1)
    grid = np.zeros((ndocs, nchars), dtype=bool)
    grid[docs, dense_chars] = True
    by_char, doc = np.nonzero(np.ascontiguousarray(grid.T))
    return _grouped(by_char, doc, chars, cbits, 1)


def _unpack_sorted(packed: np.ndarray, dbits: int, chars, cbits, n) -> Lists:
    packed.sort()
    if len(packed):
        packed = packed[np.r_[True, packed[1:] != packed[:-1]]]
    packed = packed.astype(np.int64, copy=False)
    return _grouped(packed >> dbits, packed & ((1 << dbits) - 1), chars, cbits, n)


def _grouped(dense_grams: np.ndarray, values: np.ndarray, chars: np.ndarray, cbits: int, n: int) -> Lists:
    """Lists from (dense gram, value) pairs sorted by gram: gram ids back in code points."""
    if not len(dense_grams):
        return Lists(EMPTY, np.zeros(1, np.int64), EMPTY)
    head = np.flatnonzero(np.r_[True, dense_grams[1:] != dense_grams[:-1]])
    ids = dense_grams[head]
    mask = (1 << cbits) - 1
    code = np.zeros(len(ids), dtype=np.int64)
    for k in range(n):
        code = (code << CHAR_BITS) | chars[(ids >> (cbits * (n - 1 - k))) & mask]
    return Lists(grams=code, bounds=np.r_[head, len(values)].astype(np.int64), values=values.astype(np.int64, copy=False))


def _drop_marks(lists: Lists, n: int) -> Lists:
    """Without the grams that hold an END mark (no piece has one)."""
    if not len(lists):
        return lists
    keep = np.ones(len(lists.grams), dtype=bool)
    for k in range(n):
        keep &= ((lists.grams >> (CHAR_BITS * k)) & ((1 << CHAR_BITS) - 1)) != PAD
    if keep.all():
        return lists
    sizes = np.diff(lists.bounds)[keep]
    take = np.repeat(keep, np.diff(lists.bounds))
    return Lists(grams=lists.grams[keep], bounds=np.r_[0, np.cumsum(sizes)].astype(np.int64), values=lists.values[take])


def text_of(starts: np.ndarray, positional: dict[int, np.ndarray]) -> np.ndarray:
    """The code points of a segment from its positional trigram lists (each offset's trigram begins with its character)."""
    total = int(starts[-1])
    out = np.zeros(total, dtype=np.uint32)
    for code, offsets in positional.items():
        out[offsets] = code >> (2 * CHAR_BITS)
    return out


# --- storage -----------------------------------------------------------------


def encode(kind: int, values: np.ndarray, ndocs: int, total: int) -> tuple[int, bytes]:
    """(format, bytes) of a list: a bitmap of documents when that is smaller, else the narrowest integers."""
    if kind == POS:
        fmt = U32 if total < 2**32 else U64
        return fmt, values.astype(DTYPES[fmt]).tobytes()
    if len(values) * 16 > ndocs:
        bits = np.zeros(ndocs, dtype=bool)
        bits[values] = True
        return BITMAP, np.packbits(bits).tobytes()
    fmt = U16 if ndocs <= 2**16 else U32
    return fmt, values.astype(DTYPES[fmt]).tobytes()


def decode(fmt: int, data: bytes, ndocs: int) -> np.ndarray:
    if fmt == BITMAP:
        return np.flatnonzero(np.unpackbits(np.frombuffer(data, dtype=np.uint8), count=ndocs))
    return np.frombuffer(data, dtype=DTYPES[fmt]).astype(np.int64)


def rows(segment: Segment, scope: int) -> list[tuple[int, int, int, bytes]]:
    """(k, gram, fmt, data) rows of a segment."""
    out = []
    total = int(segment.starts[-1])
    for kind, lists in segment.lists.items():
        k = scope * 4 + kind
        bounds = lists.bounds.tolist()
        for i, code in enumerate(lists.grams.tolist()):
            fmt, data = encode(kind, lists.values[bounds[i]:bounds[i + 1]], segment.ndocs, total)
            out.append((k, code, fmt, data))
    return out


# --- queries -----------------------------------------------------------------


def needs(piece: str) -> list[tuple[int, int, int]]:
    """(kind, gram, distance from the piece's start) of the lists that decide a piece."""
    n = len(piece)
    if n <= 3:
        return [((UNI, BI, TRI)[n - 1], gram_code(piece), 0)]
    distances = list(range(0, n - 2, 3))
    if distances[-1] != n - 3:
        distances.append(n - 3)
    return [(POS, gram_code(piece[i:i + 3]), i) for i in distances]


def phrase_offsets(lists: Sequence[tuple[int, np.ndarray]]) -> np.ndarray:
    """Offsets o where every (distance, offsets) list holds o + distance: the shortest list probes the others."""
    if any(not len(v) for _, v in lists):
        return EMPTY
    ordered = sorted(lists, key=lambda item: len(item[1]))
    distance, base = ordered[0]
    found = base[base >= distance] - distance
    for distance, other in ordered[1:]:
        if not len(found):
            return EMPTY
        probe = found + distance
        idx = np.searchsorted(other, probe)
        np.minimum(idx, len(other) - 1, out=idx)
        found = found[other[idx] == probe]
    return found


def piece_docs(segment_starts: np.ndarray, piece: str, fetch) -> np.ndarray:
    """Sorted documents of a segment holding ``piece``; ``fetch(kind, gram)`` gives a list (empty if none)."""
    wanted = needs(piece)
    if wanted[0][0] != POS:
        kind, code, _ = wanted[0]
        return fetch(kind, code)
    found = phrase_offsets([(distance, fetch(kind, code)) for kind, code, distance in wanted])
    if not len(found):
        return EMPTY
    docs = np.searchsorted(segment_starts, found, side="right") - 1
    return docs[np.r_[True, docs[1:] != docs[:-1]]]


def prepare(batch: Sequence[tuple[str, ...]]) -> tuple[Segment, Segment]:
    """The (titles, whole texts) segments of records given as in :func:`text.record_tokens` (the tokenizing process's work)."""
    streams = [record_streams(fields) for fields in batch]
    return build([t for t, _ in streams]), build([a for _, a in streams])
