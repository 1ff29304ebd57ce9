from __future__ import annotations

from knowledge.indicators import section_indicators
from knowledge.records import Indicator, Section


def _extract(text: str, period: str | None = None, sid: str = "一") -> list[Indicator]:
    return section_indicators(Section(id=sid, title="", text=text), period)


def _by_name(found: list[Indicator]) -> dict[str, Indicator]:
    return {i.name: i for i in found}


def test_main_figure_with_target_gap_and_progress() -> None:
    found = _extract(
        "1-9月，全市引进市外到位资金增长12.5%，高于全年目标（10%）2.5个百分点，"
        "完成全年目标进度80.1%，提前时序进度5.1个百分点。"
    )
    names = [i.name for i in found]
    assert names == [
        "市外到位资金增长",
        "市外到位资金增长高于目标",
        "市外到位资金完成全年目标进度",
        "市外到位资金提前时序进度",
    ]
    main = found[0]
    assert (main.value, main.unit, main.period) == (12.5, "%", "1-9月")
    assert (main.target, main.target_value) == ("10%", 10.0)
    assert main.gap == "高于目标2.5个百分点"
    assert main.progress == "完成全年目标进度80.1%"
    assert found[1].unit == "个百分点"
    assert all(i.period == "1-9月" for i in found)


def test_subject_changes_after_qizhong_and_semicolon() -> None:
    found = _extract(
        "全县税收收入增长6%。其中，境外资金增长3.2%，完成全年目标进度40%；"
        "工业投资占比55%，低于全年目标（60%）5个百分点。"
    )
    by = _by_name(found)
    assert by["境外资金增长"].value == 3.2
    assert by["境外资金完成全年目标进度"].value == 40
    assert by["工业投资占比"].value == 55
    assert by["工业投资占比低于目标"].value == 5
    assert by["工业投资占比"].target == "60%"
    assert by["境外资金增长"].qualifier == "境外"


def test_actor_is_kept_for_clauses_starting_with_a_place() -> None:
    found = _extract(
        "市级领导“一把手”省外招商4次，省内会见客商20次；县区领导赴省外招商9次，州内会见客商30次。"
    )
    names = [i.name for i in found]
    assert names == [
        "市级领导一把手省外招商",
        "市级领导一把手省内会见客商",
        "县区领导赴省外招商",
        "县区领导州内会见客商",
    ]
    assert found[0].qualifier == "市级"


def test_counted_noun_after_the_figure() -> None:
    found = _extract("在全县范围内征集36个重点项目，其中5个被确定为省级重点项目；举办2场推介会。")
    by = _by_name(found)
    assert by["重点项目"].value == 36
    assert by["省级重点项目"].value == 5
    assert by["举办推介会"].unit == "场"


def test_noun_before_the_figure_and_trailing_verbs_stripped() -> None:
    found = _extract(
        "上半年全县共实施工业项目88个，项目开工率达76.5%，实际到位外资仅12万美元。", "上半年"
    )
    by = _by_name(found)
    assert by["工业项目"].value == 88
    assert by["项目开工率"].value == 76.5
    assert by["实际到位外资"].unit == "万美元"
    assert all(i.period == "上半年" for i in found)


def test_threshold_is_part_of_the_name() -> None:
    found = _extract("累计签约投资规模 3 亿元以上项目 12 个。")
    assert [(i.name, i.value, i.unit) for i in found] == [("签约投资规模3亿元以上项目", 12, "个")]


def test_capacity_figure_named_with_its_project() -> None:
    found = _extract("加快推进与某某光电 20GW 组件生产项目的对接。")
    assert found[0].name == "某某光电组件生产项目"
    assert (found[0].value, found[0].unit) == (20, "GW")


def test_enumeration_then_count() -> None:
    found = _extract("引进甲公司、乙集团等6家配套企业。")
    assert [(i.name, i.value) for i in found] == [("配套企业", 6)]


def test_people_count_named_by_activity() -> None:
    found = _extract("两场直播推介近50万人参与观看。")
    assert found[0].name == "直播推介观看人数"
    assert (found[0].value, found[0].unit) == (50, "万人")


def test_years_ranges_quotes_and_documents_are_not_figures() -> None:
    found = _extract("制定《2021年行动方案》和“2021年度专项行动”，1-5月开展工作。")
    assert found == []


def test_list_of_counts_separated_by_enumeration_commas() -> None:
    found = _extract("全面梳理在谈项目14个、签约项目8个、在建项目21个任务清单。")
    assert [(i.name, i.value) for i in found] == [
        ("在谈项目", 14),
        ("签约项目", 8),
        ("在建项目", 21),
    ]


def test_quote_is_the_sentence_and_section_is_kept() -> None:
    found = _extract("第一句没有数字。全县新增企业18家。", sid="二（三）")
    assert found[0].quote == "全县新增企业18家。"
    assert found[0].section == "二（三）"


def test_approximate_and_more_than() -> None:
    found = _extract("邀请1000多家企业参加。")
    assert (found[0].value, found[0].unit) == (1000, "家")


def test_cumulative_total_inherits_subject() -> None:
    found = _extract("新增限上企业18家，累计达到126家。")
    assert [(i.name, i.value) for i in found] == [("新增限上企业", 18), ("限上企业累计", 126)]


def test_a_second_figure_without_subject_is_not_a_total() -> None:
    found = _extract("新增企业18家，其中外资企业3家。")
    assert [i.name for i in found] == ["新增企业", "外资企业"]


def test_multiplied_units_and_ordinals() -> None:
    found = _extract("新建标准厂房42万平方米，服务1.2万户，引资5亿，排名全省第2位。")
    got = [(i.name, i.value, i.unit) for i in found]
    assert ("新建标准厂房", 42, "万平方米") in got
    assert ("引资", 5, "亿元") in got  # a bare 亿 is money
    assert any(unit == "万户" and value == 1.2 for _, value, unit in got)
    # An ordinal is not a quantity: it is kept only as the figure's rank (its own kind).
    assert all(i.kind == "rank" for i in found if i.unit == "位")


def test_a_verb_that_names_the_measured_thing_is_kept() -> None:
    found = _by_name(_extract("推行并联审批，企业投资项目审批时限压缩至45个工作日以内。"))
    assert "企业投资项目审批时限" in found
    assert found["企业投资项目审批时限"].value == 45


def test_a_comparison_year_is_not_the_period() -> None:
    found = _extract("办理时间较2020年减少12个工作日。", period=None)
    assert found and all(i.period is None for i in found)


def test_at_least_is_not_part_of_the_name() -> None:
    found = _by_name(_extract("盘活闲置厂房2000平方米以上。"))
    assert "盘活闲置厂房" in found



def test_money_of_each_class_of_projects_is_named_by_its_class() -> None:
    found = _extract(
        "新签项目中，二产项目18个，协议资金30.2亿元，到位资金3.6亿元；"
        "三产项目27个，协议资金12.5亿元，到位资金2.9亿元。"
    )
    names = {i.value: i.name for i in found}
    assert names[3.6] == "二产项目到位资金" and names[2.9] == "三产项目到位资金"
    # A breakdown listed before the money does not claim the whole's money.
    whole = _extract("全县项目共计96个，其中续建项目60个、新建项目36个，累计到位资金88.5亿元。")
    assert next(i for i in whole if i.value == 88.5).name == "到位资金"


def test_classes_listed_with_commas_and_a_like_for_like_growth() -> None:
    found = _extract(
        "从产业看，一产项目12个，合同引资额5.1亿元，二产项目60个，合同引资额88.4亿元，"
        "三产项目31个，合同引资额40.2亿元。"
    )
    assert next(i for i in found if i.value == 88.4).name == "二产项目合同引资额"
    growth = _extract("全市实际到位省外资金115.03亿元，同口径增长21.76%。")
    assert next(i for i in growth if i.value == 21.76).name.endswith("同口径增长")
    assert next(i for i in growth if i.value == 21.76).name.startswith("省外到位资金")


def test_a_leading_今年_and_classes_counted_with_共() -> None:
    found = _extract("今年1-4月西秀区实现招商引资到位资金56.3亿元。")
    assert [(i.name, i.place) for i in found] == [("招商引资到位资金", "西秀区")]
    parts = _extract(
        "其中，引进省外投资项目共44个，实现招商引资资金35.5亿元；引进省内协作投资项目共34个，"
        "实现招商引资到位资金20.8亿元。"
    )
    assert next(i for i in parts if i.value == 20.8).name == "省内协作投资项目招商引资到位资金"


def test_a_sentence_about_one_industry_names_its_figures_by_it() -> None:
    found = _extract("2023年，全州文旅康养产业新引进项目21个，实现州外到位资金38.6亿元。")
    names = {i.value: i.name for i in found}
    assert names[21] == "文旅康养产业项目"
    assert names[38.6] == "文旅康养产业州外到位资金"
    # Another sentence, or a chain rather than an industry, is not renamed.
    assert _extract("全州绿色食品产业链签约项目8个。")[0].name == "绿色食品产业链签约项目"
    assert _extract("全县产业到位资金12亿元。")[0].name == "产业到位资金"
