"""The bigram language, pure: a piece's phrase occurs in a text's token stream exactly where the piece is a substring."""

import unicodedata

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gongkai.search import text

ALPHABET = st.sampled_from(list("政务公开工作要点保定市〔〕2021年15号（）()[]，。、；：“”ABCabc 　\n\t-_/%'\"\\*"))
TEXTS = st.text(ALPHABET, min_size=0, max_size=60)


def occurs(tokens: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))


@given(TEXTS, TEXTS, st.data())
def test_phrase_of_bigrams_matches_exactly_the_substrings(a, b, data):
    stream = text.field_tokens(a, b).split(" ")
    # A random substring of one field (what a person might remember) …
    field = data.draw(st.sampled_from([a, b]))
    norm_field = text.normalize(field)
    if len(norm_field) >= 2:
        start = data.draw(st.integers(0, len(norm_field) - 2))
        end = data.draw(st.integers(start + 2, len(norm_field)))
        piece = norm_field[start:end]
        assert all(occurs(stream, w) for w in text.phrase_grams(piece))
    # … and any piece at all: found in the stream if and only if it is a substring of a field.
    piece = text.normalize(data.draw(TEXTS))
    if len(piece) >= 2 and len(piece) <= text.MAX_PIECE:
        expected = piece in text.normalize(a) or piece in text.normalize(b)
        assert occurs(stream, text.phrase_grams(piece)[0]) == expected


def test_normalisation_folds_width_case_and_space():
    assert text.normalize("２０２１年 ＡＢＣ\u3000公开") == "2021年abc公开"


def test_bigrams_equal_the_pairs():
    for s in ["", "a", "ab", "abc", "政务公开工作"]:
        assert text.bigrams(s) == [x + y for x, y in zip(s, s[1:], strict=False)]


def test_parse_query_keeps_pieces_and_words():
    q = text.parse_query("政务公开  2021年", cut=lambda s: ["2021", "年"] if s == "2021年" else [s])
    assert q.pieces == ("政务公开", "2021年")
    assert q.words == ("政务公开", "2021")
    assert q.joined == "政务公开2021年"


def test_highlight_marks_original_text():
    snip = text.highlight("推进ＡＢＣ政务 公开", ["abc", "政务公开"])
    assert [t for t, hit in snip.parts if hit] == ["ＡＢＣ政务 公开"]


@given(st.one_of(TEXTS, st.text(max_size=40)))
def test_fast_paths_equal_the_plain_definitions(s):
    assert text.bigram_text(s) == " ".join(text.bigrams(s))
    assert text.escape(s) == s.translate(text._ESCAPE)


# Characters where a per-character NFKC would go wrong if the fast path took them: combining marks,
# half-width kana with voiced marks, Hangul jamo (compatibility and conjoining), ligatures, circled
# and parenthesised numbers, full-width forms, CJK compatibility ideographs, astral ideographs.
TRICKY = st.sampled_from(list("政务公开，（）：；０９ＡＺａｚ①⑳㈠㈱㎡ﬁｶﾞﾟｰ가각ㄱㅏㆍ\u0301\u0308\u3099\u309a"
                              "é\u00c5ÅΩ\u2126İıẞ豈\uf900\U00020000\U0002f800 \u3000\u00a0\t\n　"))


@given(st.one_of(st.text(max_size=40), st.text(TRICKY, max_size=40), st.text(ALPHABET, max_size=40)))
def test_normalize_equals_its_definition(s):
    assert text._decode(text._codes(s)) == text.normalize_plain(s)  # the array path, whatever the length
    assert text.normalize(s) == text.normalize_plain(s)
    long = s * (text.SHORT // max(1, len(s)) + 1)
    assert text.normalize(long) == text.normalize_plain(long)


@given(st.lists(st.one_of(st.text(max_size=30), st.text(TRICKY, max_size=30), TEXTS), max_size=6))
def test_field_tokens_equal_their_definition(fields):
    assert text.field_tokens(*fields) == text.field_tokens_plain(*fields)


def test_fast_normalisation_tables_agree_with_unicodedata_everywhere():
    mapped, alone, space = text._tables()
    for cp in np.flatnonzero(alone):
        assert chr(mapped[cp]) == unicodedata.normalize("NFKC", chr(cp)), hex(cp)
    # White space is looked up below _SPACE_END only.
    assert not any(text._WS.fullmatch(chr(cp)) for cp in range(text._SPACE_END + 1, 0x110000) if not 0xD800 <= cp < 0xE000)
    # Compositions across characters go to unicodedata.
    for raw, norm in [("Ａ\u0301", "á"), ("ｶﾞ", "ガ"), ("ㄱㅏ", "가"), ("각", "각"), ("㈠政务", "(一)政务")]:
        assert text._decode(text._codes(raw)) == norm
