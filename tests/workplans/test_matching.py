"""Matching unit names to organs, on plain values."""

from gongkai.workplans.matching import OrganInfo, match_name, place_of

GOV = OrganInfo(1, "保定市人民政府", "保定市政府", ("市政府",), "government", None)
OFFICE = OrganInfo(2, "保定市人民政府办公室", "市政府办公室", ("市政府办",), "department", 1)
FGW = OrganInfo(3, "保定市发展和改革委员会", "市发改委", ("市发展改革委",), "department", 1)
CZJ = OrganInfo(4, "保定市财政局", "", (), "department", 1)
QY = OrganInfo(5, "保定市清苑区人民政府", "清苑区政府", (), "government", 1)
ZZ = OrganInfo(6, "涿州市人民政府", "涿州市政府", (), "government", 1)
TOWN = OrganInfo(7, "涿州市某镇人民政府", "某镇", (), "town", 6)
ORGANS = [GOV, OFFICE, FGW, CZJ, QY, ZZ, TOWN]


def test_exact_short_alias_and_place():
    assert match_name("保定市财政局", ORGANS, scope=GOV).organ_ids == (4,)
    assert match_name("市政府办公室", ORGANS, scope=GOV).how == "short_name"
    assert match_name("市发展改革委", ORGANS, scope=GOV).how == "organ_alias"
    found = match_name("市财政局", ORGANS, scope=GOV)
    assert (found.organ_ids, found.how) == ((4,), "place")


def test_collectives_expand_to_organ_sets():
    assert set(match_name("市政府各部门", ORGANS, scope=GOV).organ_ids) == {2, 3, 4}
    assert set(match_name("各县（市、区）政府", ORGANS, scope=GOV).organ_ids) == {5, 6}
    assert match_name("各镇（街）", ORGANS, scope=GOV).organ_ids == (7,)
    assert match_name("市政府有关部门", ORGANS, scope=GOV).how == "collective"


def test_saved_alias_wins_and_unknown_is_left():
    assert match_name("市委编办", ORGANS, scope=GOV).how == "none"
    assert match_name("市委编办", ORGANS, scope=GOV, saved={"市委编办": (2,)}).organ_ids == (2,)


def test_same_short_name_twice_is_ambiguous():
    twin = OrganInfo(8, "保定市另一个财政局", "市财政局", (), "department", 1)
    assert match_name("市财政局", [*ORGANS, twin], scope=GOV).how in ("place", "short_name")
    assert match_name("市政府办公室", [*ORGANS, OrganInfo(9, "X", "市政府办公室", (), "department", 1)],
                      scope=GOV).how == "ambiguous"


def test_place_of():
    assert place_of("台儿庄区人民政府") == "台儿庄区"
    assert place_of("北京市人民政府") == "北京市"
