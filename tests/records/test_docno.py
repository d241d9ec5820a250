"""发文字号 parsing: any common way of typing it gives the canonical 〔〕 form."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.records import docno

prefixes = st.text(alphabet="国办发函政保津规资京广安区台儿庄字明电", min_size=1, max_size=8)
years = st.integers(min_value=1949, max_value=2100)
seqs = st.integers(min_value=1, max_value=99999)
brackets = st.sampled_from([("〔", "〕"), ("[", "]"), ("［", "］"), ("(", ")"), ("（", "）"), ("【", "】"), ("", "年")])


@given(prefixes, years, seqs, brackets, st.booleans(), st.integers(min_value=0, max_value=3))
def test_any_variant_normalises_to_canonical(prefix, year, seq, bracket, di, zeros):
    opening, closing = bracket
    typed = f"{prefix}{opening}{year}{closing}{'第' if di else ''}{'0' * zeros}{seq}号"
    parsed = docno.parse(typed)
    assert (parsed.prefix, parsed.year, parsed.seq) == (prefix, year, seq)
    canonical = str(parsed)
    assert canonical == f"{prefix}〔{year}〕{seq}号"
    assert docno.is_canonical(canonical)
    assert docno.normalize(canonical) == canonical  # idempotent


@given(prefixes, years, seqs)
def test_full_width_digits(prefix, year, seq):
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    assert docno.normalize(f"{prefix}（{str(year).translate(full)}）{str(seq).translate(full)}号") == f"{prefix}〔{year}〕{seq}号"


@pytest.mark.parametrize("text,expected", [
    ("保政办函〔2021〕15号", "保政办函〔2021〕15号"),
    ("保政办函[2021]15号", "保政办函〔2021〕15号"),
    ("保政办函2021年15号", "保政办函〔2021〕15号"),
    ("  国办公开办函 〔2021〕 30号 ", "国办公开办函〔2021〕30号"),
    ("国办发明电〔2024〕12号", "国办发明电〔2024〕12号"),
    ("北京市人民政府令第317号", "北京市人民政府令第317号"),
    ("天津市人民政府令 第 0012 号", "天津市人民政府令第12号"),
    ("", ""),
])
def test_examples(text, expected):
    assert docno.normalize(text) == expected


@pytest.mark.parametrize("text", ["保政办函", "〔2021〕15号", "保政办函〔21〕15号", "保政办函〔2021〕0号", "保政办函〔1800〕3号", "十五号"])
def test_rejects_with_chinese_message(text):
    with pytest.raises(docno.DocNoError) as exc:
        docno.parse(text)
    assert "发文字号" in str(exc.value)
