"""Identity numbers and masking (pure)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications import identity as idn
from gongkai.applications.similarity import clusters, similarity


def test_resident_id():
    assert idn.check_resident_id(" 11010519491231002x ") == "11010519491231002X"
    with pytest.raises(idn.IdentityError, match="校验位"):
        idn.check_resident_id("110105194912310021")
    with pytest.raises(idn.IdentityError, match="出生日期"):
        idn.check_resident_id("110105194913310020")
    with pytest.raises(idn.IdentityError, match="18位"):
        idn.check_resident_id("11010519491231")


@given(st.from_regex(r"\A[1-6][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"))
def test_every_first17_has_exactly_one_check_char(first17):
    good = first17 + idn.resident_id_check_char(first17)
    assert idn.check_resident_id(good) == good
    for c in "0123456789X":
        if c != good[-1]:
            with pytest.raises(idn.IdentityError):
                idn.check_resident_id(first17 + c)


def test_credit_code_real_examples():
    for code in ("91110000710926094P", "91330100716105852F", "91440300708461136T"):
        assert idn.check_credit_code(code.lower()) == code
    with pytest.raises(idn.IdentityError, match="校验位"):
        idn.check_credit_code("91330100716105852A")
    with pytest.raises(idn.IdentityError, match="不能有字符"):
        idn.check_credit_code("9133010071610585IF")


def test_masks():
    assert idn.mask_name("张三") == "张*"
    assert idn.mask_name("欧阳娜娜") == "欧***"
    assert idn.mask_name("某某律师事务所") == "某某***务所"
    assert idn.mask_id("130102199001011234") == "130***********1234"
    assert idn.mask_phone("13812345678") == "138****5678"
    assert idn.mask_email("zhangsan@example.com") == "z***@example.com"
    assert idn.mask_address("河北省保定市竞秀区东风路1号") == "河北省保定市****"


def test_similarity_and_clusters():
    a = "申请公开2024年城市道路建设项目资金使用情况"
    b = "请公开2024年度城市道路建设项目的资金使用情况"
    c = "食品安全抽检结果"
    assert similarity(a, b) >= 0.5 > similarity(a, c)
    assert clusters([(1, a), (2, c), (3, b)]) == [[1, 3]]
