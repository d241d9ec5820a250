"""Text normalisation, the character-bigram index language, query parsing, snippets — pure, no Django.

The index does not store words: it stores every pair of neighbouring characters
(a *bigram*) of the normalised text, with its position. A query piece of two or
more characters is the phrase of its own bigrams, and a phrase of overlapping
bigrams at consecutive positions matches exactly where the piece occurs as a
substring. So the recall guarantee ("every record that contains the query text
is found") does not depend on how jieba happens to cut a sentence, and the
engine (FTS5 or PostgreSQL) only ever does what it is good at: intersecting
posting lists with positions.

Normalisation (the same for documents and queries): NFKC (full-width letters,
digits and brackets to their usual forms), lower case, white space removed.
ASCII characters that FTS5's ``ascii`` tokenizer treats as separators are moved
to the private-use area, so every bigram is one token and nothing is lost.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

# Fields of one record are joined with this character; queries never contain it
# (it is white space), so no phrase matches across two fields.
FIELD_SEP = "\n"
# A single trailing marker after each field so that the last character of a
# field also starts a bigram (one-character query words use prefix queries).
END = "\u3000"

_WS = re.compile(r"\s+")
# ASCII non-alphanumerics (and the field separator/END marker) → private use area.
_ESCAPE = {c: chr(0xE000 + c) for c in range(128) if not chr(c).isalnum()}
_ESCAPE[ord(END)] = 0xE0FF


def normalize(text: str) -> str:
    """NFKC, lower case, no white space: the form both documents and queries are compared in."""
    if not text:
        return ""
    if len(text) < SHORT:  # a query or a title: not worth building the tables in a web process
        return normalize_plain(text)
    return _decode(_codes(text))


SHORT = 256  # characters


def normalize_plain(text: str) -> str:
    """:func:`normalize` by its definition, one library call each (the reference the fast path is tested against)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text).lower())


@functools.cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(NFKC of each BMP character, whether it may be mapped on its own, white space) — built once a process (~0.35 s).

    ``unicodedata.normalize`` costs about 0.12 µs a character on Chinese text
    with full-width punctuation (0.44 ms of a 3,700-character record, most of
    the tokenizing time). NFKC is a per-character map wherever no
    composition crosses two characters. A character may be mapped on its own
    when its NFKC form is one character and its decomposition starts with a
    starter that is never the second half of a canonical composition (nor a
    Hangul vowel or final consonant, which compose by rule): then nothing
    composes across its left edge. A text of only such BMP characters is
    mapped through the table; any other text goes to ``unicodedata``.
    """
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    mapped = np.arange(0x10000, dtype=np.uint32)
    alone = np.zeros(0x10000, dtype=bool)
    for cp in range(0x10000):
        ch = chr(cp)
        nfkc = unicodedata.normalize("NFKC", ch)
        first = unicodedata.normalize("NFKD", ch)[:1]
        if len(nfkc) == 1 and first and not unicodedata.combining(first) and ord(first) not in seconds:
            mapped[cp] = ord(nfkc)
            alone[cp] = True
    space = np.array([bool(_WS.fullmatch(chr(cp))) for cp in range(_SPACE_END + 1)])
    return mapped, alone, space


_SPACE_END = 0x3001  # every white-space character is below; U+3001 (、) is not one


def _array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _decode(codes: np.ndarray) -> str:
    return codes.astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def _codes(text: str) -> np.ndarray:
    """The code points of :func:`normalize` (text)."""
    mapped, alone, space = _tables()
    cps = _array(text)
    if len(cps) and int(cps.max()) < 0x10000 and alone[cps].all():
        lowered = _decode(mapped[cps]).lower()
    else:
        lowered = unicodedata.normalize("NFKC", text).lower()
    cps = _array(lowered)
    return cps[~space[np.minimum(cps, _SPACE_END)]]


_ESCAPE_RE = re.compile("[" + re.escape("".join(chr(c) for c in _ESCAPE)) + "]+")


def escape(text: str) -> str:
    """Map characters the tokenizer would drop to private-use characters (1:1).

    Only the runs that need it are translated: ``str.translate`` looks up every
    character of a Chinese text in Python, which is twice as slow.
    """
    return _ESCAPE_RE.sub(lambda m: m.group().translate(_ESCAPE), text)


_PAIR = re.compile(r"..", re.S)


def bigrams(norm: str) -> list[str]:
    """The overlapping bigrams of normalised, escaped text (a one-character text gives none).

    Built from the pairs at even and at odd offsets, interleaved: the regular
    expression engine cuts the pairs in C, about twice as fast as pairing
    characters one by one in Python.
    """
    if len(norm) < 2:
        return []
    out: list[str] = [""] * (len(norm) - 1)
    out[::2] = _PAIR.findall(norm)
    out[1::2] = _PAIR.findall(norm, 1)
    return out


def bigram_text(norm: str) -> str:
    """``" ".join(bigrams(norm))``, about eight times faster (used by :func:`field_tokens_plain`, the reference).

    In UTF-32 every character is four bytes, so the output (two characters and
    a space per bigram) is laid out with twelve strided byte-slice copies in C.
    """
    n = len(norm)
    if n < 2:
        return ""
    src = norm.encode("utf-32-le", "surrogatepass")
    out = bytearray(b" \0\0\0" * (3 * (n - 1)))
    for k in range(4):
        lane = src[k::4]
        out[k::12] = lane[:-1]
        out[4 + k::12] = lane[1:]
    return out.decode("utf-32-le", "surrogatepass")[:-1]


_ESCAPE_CODES = np.array([ord(_ESCAPE.get(c, chr(c))) for c in range(128)], dtype=np.uint32)
_END_CODE = _ESCAPE[ord(END)]
_SPACE_CODE = ord(" ")
_SEPARATOR = _array(" " + escape(FIELD_SEP * 2) + " ").astype(np.uint32)


def field_tokens(*fields: str) -> str:
    """The token stream of a record: each field's bigrams, fields kept apart, space separated.

    ``" " + escape(FIELD_SEP * 2) + " "`` joined the ``bigram_text(escape(normalize(f) + END))``
    of the non-empty fields (:func:`field_tokens_plain`), computed on code-point arrays.
    """
    parts: list[np.ndarray] = []
    for value in fields:
        cps = _codes(value) if value else None
        if cps is None or not len(cps):
            continue
        cps = np.append(np.where(cps < 128, _ESCAPE_CODES[np.minimum(cps, 127)], cps), _END_CODE)
        grams = np.empty((len(cps) - 1, 3), dtype=np.uint32)
        grams[:, 0], grams[:, 1], grams[:, 2] = cps[:-1], cps[1:], _SPACE_CODE
        if parts:
            parts.append(_SEPARATOR)
        parts.append(grams.ravel()[:-1])
    return _decode(np.concatenate(parts)) if parts else ""


def field_tokens_plain(*fields: str) -> str:
    """:func:`field_tokens` by its definition (the reference it is tested against)."""
    parts = []
    for value in fields:
        norm = normalize_plain(value) if value else ""
        if norm:
            parts.append(bigram_text(escape(norm + END)))
    return (" " + escape(FIELD_SEP * 2) + " ").join(parts)


def html_to_text(source: str) -> str:
    """Plain text of sanitised body HTML (block ends become line breaks)."""
    if not source:
        return ""
    source = re.sub(r"<(br|/p|/div|/h\d|/li|/tr|/td|/th|/blockquote)[^>]*>", "\n", source, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", source))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


BODY = 4  # index of the body (HTML) in a record's fields, see record_tokens


def record_tokens(fields: tuple[str, ...]) -> tuple[str, str]:
    """(title tokens, all tokens) of a record given as (title, 发文字号, summary, keywords, body HTML, *attachment texts)."""
    plain = list(fields)
    if len(plain) > BODY:
        plain[BODY] = html_to_text(plain[BODY])
    return field_tokens(plain[0]), field_tokens(*plain)


def tokenize_batch(batch: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """:func:`record_tokens` of many records (run in a worker process during a rebuild)."""
    return [record_tokens(fields) for fields in batch]


# --- queries ---------------------------------------------------------------

MAX_PIECE = 64  # longer pieces are cut into overlapping windows (see Query)


@dataclass(frozen=True)
class Query:
    """A parsed query: its space separated pieces (AND), and the words jieba finds in each."""

    raw: str
    pieces: tuple[str, ...]  # normalised, each non-empty
    words: tuple[str, ...] = field(default=())  # normalised words of all pieces (for the scattered tier)

    @property
    def is_empty(self) -> bool:
        return not self.pieces

    @property
    def joined(self) -> str:
        """All pieces written together: the exact phrase of a multi-word query."""
        return "".join(self.pieces)

    @property
    def scattered(self) -> bool:
        """Whether the words differ from the pieces (so records holding every word, scattered, can be added)."""
        return tuple(self.words) != tuple(self.pieces)


def split_pieces(raw: str) -> list[str]:
    """Space separated pieces (half- or full-width spaces, commas of a search box are literal)."""
    return [p for p in (normalize(x) for x in (raw or "").split()) if p]


def parse_query(raw: str, cut=None) -> Query:
    """Parse what a person typed. ``cut`` segments a piece into words (precise mode).

    A piece matches where it occurs as a substring; every piece is required.
    Each piece is also cut into words: when the pieces find less than a page,
    records holding every word, scattered, are added below (see
    :mod:`gongkai.search.query`). One-character words are kept only when a
    piece has nothing longer, so "我市的政务" asks for 我市 and 政务, not for 的.
    """
    pieces = tuple(dict.fromkeys(split_pieces(raw)))
    words: list[str] = []
    for piece in pieces:
        cut_words = [normalize(w) for w in (cut(piece) if cut else [piece])]
        cut_words = [w for w in cut_words if w and any(ch.isalnum() for ch in w)] or [piece]
        long_words = [w for w in cut_words if len(w) > 1]
        words.extend(long_words or [piece])
    words = list(dict.fromkeys(words))
    return Query(raw=raw, pieces=pieces, words=tuple(words))


def phrase_grams(piece: str) -> list[list[str]]:
    """The bigram phrase(s) that match ``piece``: one phrase, or overlapping windows if it is long.

    A one-character piece gives ``[[]]`` with the character as a prefix: the
    caller matches it as a prefix query (see :func:`single_char`).
    """
    esc = escape(piece)
    if len(esc) < 2:
        return [[]]
    grams = bigrams(esc)
    if len(grams) <= MAX_PIECE:
        return [grams]
    step = MAX_PIECE // 2
    return [grams[i:i + MAX_PIECE] for i in range(0, len(grams) - step, step)]


def single_char(piece: str) -> str | None:
    esc = escape(piece)
    return esc if len(esc) == 1 else None


# --- snippets and highlighting ------------------------------------------------


def _norm_map(text: str) -> tuple[str, list[int]]:
    """Normalised text with, for each of its characters, the index of the original character."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        n = _WS.sub("", unicodedata.normalize("NFKC", ch).lower()) if not ch.isascii() or not ch.isalnum() else ch.lower()
        for c in n:
            out.append(c)
            index.append(i)
    return "".join(out), index


def find_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Spans of the original text where any of the normalised needles occur (merged, in order)."""
    if not text or not needles:
        return []
    norm, index = _norm_map(text)
    spans = []
    for needle in sorted(set(needles), key=len, reverse=True):
        if not needle:
            continue
        start = norm.find(needle)
        while start >= 0:
            spans.append((index[start], index[start + len(needle) - 1] + 1))
            start = norm.find(needle, start + len(needle))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@dataclass(frozen=True)
class Snippet:
    """A window of text cut into (text, is_hit) parts; ``before``/``after`` say whether text was cut."""

    parts: tuple[tuple[str, bool], ...]
    before: bool = False
    after: bool = False

    @property
    def has_hit(self) -> bool:
        return any(hit for _, hit in self.parts)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.parts)


def highlight(text: str, needles: list[str], *, width: int | None = None) -> Snippet:
    """Mark the needles in ``text``; with ``width``, keep a window of about that many characters around the first hit."""
    spans = find_spans(text, needles)
    lo, hi = 0, len(text)
    if width is not None:
        if spans:
            first = spans[0][0]
            lo = max(0, first - width // 4)
            hi = min(len(text), lo + width)
            lo = max(0, min(lo, hi - width))
        else:
            hi = min(len(text), width)
    parts: list[tuple[str, bool]] = []
    pos = lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        if s > pos:
            parts.append((text[pos:s], False))
        parts.append((text[s:e], True))
        pos = e
    if pos < hi:
        parts.append((text[pos:hi], False))
    return Snippet(parts=tuple(parts), before=lo > 0, after=hi < len(text))
