"""De-identifying free text (pure): examples and properties over generated messages."""

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.applications.identity import resident_id_check_char
from gongkai.core.masking import COMPOUND_SURNAMES, SURNAMES, mask_known_name, mask_text


def test_examples():
    text = "我叫张三，电话13812345678，身份证号130602199001011234，想问公积金怎么提取？"
    assert mask_text(text, names=["张三"]) == "我叫张某，电话***，身份证号***，想问公积金怎么提取？"
    assert mask_text("联系电话：0312-1234567 或 138 1234 5678") == "联系电话：*** 或 ***"
    assert mask_text("旧证号13060219900101123x请更正") == "旧证号***请更正"
    assert mask_text("全角号码１３８１２３４５６７８也要去掉") == "全角号码***也要去掉"
    assert mask_text("邮箱 zhang.san@example.com 收") == "邮箱 *** 收"
    assert mask_text("李小红女士反映，张先生也说过") == "李某女士反映，张先生也说过"
    assert mask_text("姓名：欧阳娜娜") == "姓名：欧阳某"


def test_dates_and_short_numbers_stay():
    text = "保政办函〔2021〕15号于2024-03-01施行，第12条，共300户，2024.3.1前办结。"
    assert mask_text(text) == text


def test_known_names():
    assert mask_known_name("张三") == "张某"
    assert mask_known_name("欧阳娜娜") == "欧阳某"
    assert mask_known_name("王") == "某"
    assert mask_known_name("") == ""
    assert mask_text("王小明的问题，王小明已经问过", names=["王小明", " "]) == "王某的问题，王某已经问过"


# -- properties -----------------------------------------------------------------------------

hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
filler = st.text(alphabet=st.one_of(hanzi, st.sampled_from("，。？！、：（）abc 12")), max_size=30)
surname = st.one_of(st.sampled_from(SURNAMES), st.sampled_from(COMPOUND_SURNAMES))
given_name = st.text(alphabet=hanzi, min_size=1, max_size=2).filter(lambda s: "某" not in s)
name = st.builds(lambda s, g: s + g, surname, given_name)
mobile = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
landline = st.from_regex(r"\A0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}\Z")
spaced_mobile = mobile.map(lambda m: f"{m[:3]} {m[3:7]} {m[7:]}")
first17 = st.from_regex(r"\A[1-6][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z")
resident_id = first17.map(lambda f: f + resident_id_check_char(f))
secret_number = st.one_of(mobile, landline, spaced_mobile, resident_id)


def digits_only(s: str) -> str:
    return re.sub(r"[^0-9Xx]", "", s)


@given(parts=st.lists(st.tuples(filler, secret_number), min_size=1, max_size=4), tail=filler)
def test_no_identifying_number_survives(parts, tail):
    text = "".join(a + b for a, b in parts) + tail
    masked = mask_text(text)
    for _, number in parts:
        assert number not in masked
        assert digits_only(number) not in digits_only(masked)
    # No run of seven digits is left anywhere, whatever the separators.
    assert not re.search(r"[0-9](?:[\s\-.]?[0-9]){6}", masked)


@given(before=filler, person=name, middle=filler, after=filler)
def test_known_name_never_survives(before, person, middle, after):
    text = before + person + middle + person + after
    masked = mask_text(text, names=[person])
    assert person not in masked
    assert mask_known_name(person) in masked


@given(before=filler, person=name, number=secret_number, after=filler)
def test_masking_is_idempotent(before, person, number, after):
    text = f"{before}我叫{person}，电话{number}{after}"
    once = mask_text(text, names=[person])
    assert mask_text(once, names=[person]) == once
    assert person not in once and number not in once


@given(st.text(alphabet=st.one_of(hanzi, st.sampled_from("，。？！、 0123456")), max_size=60))
def test_text_without_numbers_names_or_intros_is_unchanged(text):
    assume(not re.search(r"[0-9](?:\s?[0-9]){6}", text))
    assume(not any(k in text for k in ("我叫", "姓名", "联系人", "署名", "先生", "女士", "同志")))
    assert mask_text(text) == text
