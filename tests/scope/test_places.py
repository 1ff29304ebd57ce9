"""Places: one canonical name however a text writes it, and when two names are the same."""

from __future__ import annotations

import pytest

from scope.places import (
    Gazetteer,
    bare_county,
    bare_zone,
    host_province,
    make_place,
    province_of,
    same_place,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def names(gazetteer: Gazetteer, text: str) -> list[str]:
    return [m.place.name for m in gazetteer.find(text)]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("楚雄彝族自治州", "楚雄州"),
        ("红河哈尼族彝族自治州", "红河州"),
        ("广西壮族自治区", "广西"),
        ("禄丰县", "禄丰市"),  # the county became a city: one place
        ("楚雄高新技术产业开发区", "楚雄高新区"),
    ],
)
def test_written_forms_fold_to_one_name(written: str, canonical: str) -> None:
    assert make_place(written).name == canonical


def test_a_bare_base_matches_but_a_different_level_does_not() -> None:
    assert same_place(make_place("楚雄"), make_place("楚雄州"))
    assert not same_place(make_place("楚雄市"), make_place("楚雄州"))
    assert same_place(make_place("许昌地区"), make_place("许昌市"))
    assert same_place(make_place("攀枝花钒钛高新区"), make_place("钒钛高新区"))
    assert not same_place(make_place("楚雄高新区"), make_place("楚雄州"))


def test_lists_bare_names_and_known_counties(gazetteer: Gazetteer) -> None:
    assert names(gazetteer, "保山、临沧、楚雄的落地率") == ["保山市", "临沧市", "楚雄州"]
    assert names(gazetteer, "南华一季度") == ["南华县"]
    assert names(gazetteer, "凤庆县一季度") == ["凤庆县"]


def test_names_known_only_by_their_suffix(gazetteer: Gazetteer) -> None:
    assert names(gazetteer, "东区、西区、仁和区") == ["东区", "西区", "仁和区"]
    assert names(gazetteer, "全市共有钒钛高新区等") == ["钒钛高新区"]


def test_phrases_that_end_like_a_place_are_not_places(gazetteer: Gazetteer) -> None:
    phrases = (
        "完成省外到位资金", "实现了省级目标", "到位资金州政府下达任务数", "全县引进",
        "根据区人大常委会安排", "视察区投资促进局",
    )  # fmt: skip
    for phrase in phrases:
        assert names(gazetteer, phrase) == [], phrase


def test_a_city_then_its_district_are_two_places(gazetteer: Gazetteer) -> None:
    assert names(gazetteer, "攀枝花仁和区") == ["攀枝花市", "仁和区"]
    assert names(gazetteer, "铜仁市碧江区") == ["铜仁市", "碧江区"]
    # A zone named after its city stays one place.
    assert names(gazetteer, "包括铜仁高新区") == ["铜仁高新区"]


def test_named_groups_are_places_of_their_own(gazetteer: Gazetteer) -> None:
    assert names(gazetteer, "前三季度，沿边8州市引进") == ["沿边8州市"]
    assert names(gazetteer, "一季度皖北六市到位资金") == ["皖北6市"]
    group = gazetteer.find("滇中4州市")[0].place
    assert same_place(group, gazetteer.find("滇中经济圈4州市")[0].place)
    assert not same_place(group, make_place("云南省"))


def test_the_base_teaches_bare_county_names() -> None:
    assert names(Gazetteer(), "凤庆一季度") == []
    assert names(Gazetteer(["凤庆县"]), "凤庆一季度") == ["凤庆县"]


def test_every_division_knows_its_province() -> None:
    assert province_of(make_place("兰州市")).name == "甘肃省"
    assert province_of(make_place("南华县")).name == "云南省"
    assert province_of(make_place("东区")) is None or province_of(make_place("东区")).is_province


def test_a_province_hosting_investment_by_its_one_letter_name() -> None:
    assert host_province("苏浙粤三省来皖投资排前三") == make_place("安徽省")
    assert host_province("吸引客商在滇投资兴业") == make_place("云南省")
    # Going out to invite investors names where the bureau went, not its home.
    assert host_province("赴粤招商推介") is None
    assert host_province("全省招商引资到位资金") is None


def test_a_stored_group_name_folds_back_to_the_group() -> None:
    # Figures store their place by name; read back, a group must still be a group.
    stored = make_place("滇中经济圈4州市")
    assert stored.is_group and same_place(stored, make_place("滇中4州市"))
    assert make_place("皖北六市").name == "皖北6市"
    assert not make_place("六盘水市").is_group and not make_place("十堰市").is_group


def test_经开区_is_the_development_zone_a_page_calls_开发区_but_not_a_高新区() -> None:
    assert make_place("开发区").is_zone  # a bare zone word is never a district named 开发
    assert same_place(bare_zone("经开区"), make_place("开发区"))
    assert same_place(bare_zone("经开区"), make_place("楚雄经济技术开发区"))
    assert not same_place(bare_zone("高新区"), make_place("开发区"))
    assert not same_place(bare_zone("经开区"), make_place("楚雄高新区"))


def test_a_zone_written_short_or_long_is_one_zone() -> None:
    assert same_place(make_place("白城经开区"), make_place("白城经济开发区"))
    assert same_place(make_place("白城开发区"), make_place("白城经济技术开发区"))
    assert same_place(make_place("楚雄高新区"), make_place("楚雄高新技术产业开发区"))
    assert not same_place(make_place("铜仁高新区"), make_place("碧江高新区"))
    assert not same_place(make_place("白城经开区"), make_place("白城高新区"))


def test_a_bare_name_before_外资_is_still_a_place() -> None:
    names = [m.place.name for m in Gazetteer().find("借助已落户内江外资企业")]
    assert names == ["内江市"]


def test_a_bare_county_name_counts_only_when_it_is_the_only_one() -> None:
    assert bare_county("宣传推介云城的营商环境", "区") == make_place("云城区")
    assert bare_county("全县上下一心", "县") is None
