"""The search benchmark's PostgreSQL baseline: chunked binary tsvectors (gongkai/ops/bench/search_baseline.py)."""

import re
import struct

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.ops.bench.search_baseline import CHUNK, MAX_POS, chunks, copy_rows
from gongkai.search import text

pytestmark = pytest.mark.django_db


def chunks_by_lexeme(tokens: list[str]) -> list[str]:
    """The reference for :func:`chunks`: positions per lexeme, a chunk ends before a bigram's 256th."""
    out = []
    n = len(tokens)
    start = 0
    overlap = text.MAX_PIECE
    while start < n or not out:
        positions: dict[str, list[int]] = {}
        end = start
        while end < n and end - start < CHUNK:
            plist = positions.setdefault(tokens[end], [])
            if len(plist) >= MAX_POS:
                break
            plist.append(end - start + 1)
            end += 1
        out.append(" ".join(f"'{lex}':{','.join(map(str, ps))}" for lex, ps in positions.items()))
        if end >= n:
            break
        start = max(start + 1, end - overlap)
    return out


pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tsvector")


def positions_per_lexeme(literal: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for lex, pos in re.findall(r"'([^']*)':(\d+(?:,\d+)*)", literal):
        out.setdefault(lex, []).extend(int(p) for p in pos.split(","))
    return out


def decode(tsv: bytes) -> dict[str, list[int]]:
    """A binary tsvector (PostgreSQL's send format) read back, checking its layout and lexeme order."""
    n = struct.unpack_from(">i", tsv, 0)[0]
    off, out, lexemes = 4, {}, []
    for _ in range(n):
        end = tsv.index(b"\0", off)
        lexemes.append(tsv[off:end])
        npos = struct.unpack_from(">H", tsv, end + 1)[0]
        positions = list(struct.unpack_from(f">{npos}H", tsv, end + 3))
        assert positions == sorted(set(positions)) and 0 < npos <= MAX_POS
        out[tsv[off:end].decode()] = positions
        off = end + 3 + 2 * npos
    assert off == len(tsv) and lexemes == sorted(set(lexemes))
    return out


def token_sequence(tsv: bytes) -> list[str]:
    at = {p: lex for lex, ps in decode(tsv).items() for p in ps}
    assert sorted(at) == list(range(1, len(at) + 1))
    return [at[p] for p in sorted(at)]


@pytest.mark.parametrize("value", ["政务公开", "é中\U00020000x政务公开政务", "Ωß€\U0001D11E中", "各县（市、区）ABC123，要求"])
def test_binary_tsvector_holds_every_bigram_at_its_positions_in_utf8(value):
    tokens = text.field_tokens(value)
    (tsv,) = chunks(tokens)
    assert token_sequence(tsv) == tokens.split(" ")
    assert decode(tsv) == positions_per_lexeme(chunks_by_lexeme(tokens.split(" "))[0])


def test_chunks_overlap_so_that_any_piece_lies_in_one_chunk():
    tokens = text.field_tokens("各县（市、区）人民政府要认真落实有关要求，" * 2000)
    n = len(tokens.split(" "))
    parts = [token_sequence(p) for p in chunks(tokens)]
    assert len(parts) >= n // CHUNK
    assert all(len(part) <= CHUNK for part in parts)
    # consecutive chunks share MAX_PIECE tokens
    assert parts[0][-text.MAX_PIECE:] == parts[1][:text.MAX_PIECE]
    assert parts[0] + [t for part in parts[1:] for t in part[text.MAX_PIECE:]] == tokens.split(" ")


def test_a_bigram_repeated_more_than_postgres_keeps_is_cut_by_lexeme():
    tokens = text.field_tokens("哈" * 700 + "政务公开")
    parts = chunks(tokens)
    assert len(parts) == 4  # 255 positions each, overlapping by 64
    assert [decode(p) for p in parts] == [positions_per_lexeme(p) for p in chunks_by_lexeme(tokens.split(" "))]
    assert "政务" in decode(parts[-1])


# Texts of one record: mixed scripts (1- to 4-byte UTF-8), or a bigram repeated past 255 positions.
RECORD_TEXTS = (st.text(alphabet="政务公开工作要点年月日（）〔〕，。ABC123é\U00020000 ", min_size=0, max_size=5000)
                | st.text(alphabet="哈哈的公开", min_size=200, max_size=20000))


def both_chunkings(value: str) -> tuple[list[bytes], list[str]]:
    """The chunks of a text's tokens: binary (``chunks``) and the reference literals (``chunks_by_lexeme``)."""
    tokens = text.field_tokens(value)
    return chunks(tokens), chunks_by_lexeme(tokens.split(" ") if tokens else [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(RECORD_TEXTS)
def test_binary_chunks_hold_what_the_lexeme_loop_gives(value):
    fast, slow = both_chunkings(value)
    assert [decode(p) for p in fast] == [positions_per_lexeme(p) for p in slow]


@pg_only
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(RECORD_TEXTS)
def test_postgres_reads_the_binary_chunks_as_the_lexeme_loops_literals(value):
    fast, slow = both_chunkings(value)
    assert len(fast) == len(slow)
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS tsv_check (key bigint, tsv tsvector)")
        cur.execute("TRUNCATE tsv_check")
        copy_rows(cur, "tsv_check", "key, tsv", list(enumerate(fast)))
        for i, literal in enumerate(slow):
            cur.execute("SELECT tsv = %s::tsvector FROM tsv_check WHERE key = %s", [literal, i])
            assert cur.fetchone()[0]
