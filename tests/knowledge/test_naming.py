from __future__ import annotations

import pytest

from knowledge import naming


@pytest.mark.parametrize(
    ("pre", "core"),
    [
        ("1-6月，全州引进州外到位资金增长", "州外到位资金增长"),
        ("其中，省外到位资金增长", "省外到位资金增长"),
        ("上半年全州共实施产业招商项目", "产业招商项目"),
        ("全州实际到位外资仅", "实际到位外资"),
        ("项目审批时间压缩至", "项目审批时间"),
        ("二是培训电商人才", "培训电商人才"),
    ],
)
def test_strip_clause(pre: str, core: str) -> None:
    assert naming.strip_clause(pre) == core


def test_cut_verb_keeps_short_actor_and_drops_adverbial() -> None:
    assert naming.cut_verb("州县共开展“请进来”") == "州县开展“请进来”"
    assert naming.cut_verb("从各县市、州级相关部门新征集年度招商引资项目") == "年度招商引资项目"
    assert naming.cut_verb("开工协议投资规模5亿元以上项目") == "开工协议投资规模5亿元以上项目"


def test_post_phrase() -> None:
    assert naming.post_phrase("网络招商推介会") == "网络招商推介会"
    assert naming.post_phrase("被确定为省级重点招商项目纳入《册》") == "省级重点招商项目"
    assert naming.post_phrase("光伏玻璃生产项目和江阴久盛科技") == "光伏玻璃生产项目"
    assert naming.post_phrase("拉晶和切片生产项目的对接洽谈") == "拉晶和切片生产项目"
    assert naming.post_phrase("，高于目标") == ""


def test_tail_noun_and_enumeration() -> None:
    assert naming.tail_noun("进一步加大了与三一重能") == "三一重能"
    assert naming.tail_noun("三场直播推介") == "直播推介"
    assert naming.after_enumeration("江阴久盛科技、常州市固耐包装材料公司等") == ""
    assert naming.after_enumeration("温州商会、昆明福建商会等商协会") == "商协会"


def test_clean_name_and_qualifier() -> None:
    assert naming.clean_name("“一把手”招商的") == "一把手招商"
    assert naming.qualifier_of("县市党政一把手赴省外招商") == "县市"
    assert naming.qualifier_of("州外到位资金增长") == "州外"
    assert naming.qualifier_of("网络招商推介会") is None


def test_modifier_before_de() -> None:
    assert naming.modifier_before_de("以4个县新签约的") == "新签约"
    assert naming.modifier_before_de("全州新签约的") == "新签约"
    assert naming.modifier_before_de("新签约") == ""
