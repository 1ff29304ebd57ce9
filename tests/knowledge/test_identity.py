"""Document identity and figure scope, on small documents of the genre written for the test."""

from __future__ import annotations

import datetime as dt

from knowledge.parse import parse_text

COUNTY_BRIEF = """姚安县2023年1-5月招商引资工作简报

今年以来，我县围绕花卉、梅子精深加工开展精准招商。

一、主要指标

1-5月，全县实现州外到位资金9.42亿元，同比增长13.8%，完成全年目标任务24亿元的39.3%，欠时序进度2.4个百分点。签约项目落地率61.5%，进度居全州第三位。
"""

QUARTER_NOTICE = """全州一季度招商引资进展通报

各县市投资促进局：

一季度，全州引进州外到位资金118.6亿元，同比增长9.1%。从总量看，楚雄市完成州外到位资金31.2亿元，居全州第一。

楚雄州投资促进局

2024年4月9日
"""

CITY_PAGE = """当前位置：首页 > 要闻

今年1至8月，全市新签约项目112个，实际到位市外资金286.4亿元，同比增长11.2%。会上，市长要求各区县对标对表，确保完成全年任务。本次会议在宜宾市召开，宜宾市各区县负责同志参加。
"""

PROVINCE_NEWS = """上半年全省引资结构持续优化

本报讯 记者从省投资促进局获悉，上半年，全省实现省外到位资金3120.5亿元，同比增长8.7%。\
其中，昆明、曲靖、玉溪省外到位资金分别为802.1亿元、356.4亿元和298.7亿元。

2023年7月20日
"""


def test_county_brief_subject_period_and_scoped_figures() -> None:
    doc = parse_text(COUNTY_BRIEF)
    assert (doc.subject, doc.period_year, doc.period_start, doc.period_end) == (
        "姚安县", 2023, 1, 5,
    )
    assert doc.genre == "brief"
    assert doc.display_name == "姚安县2023年1-5月招商引资工作简报"  # no 文号: the title
    amount = next(i for i in doc.indicators if i.value == 9.42)
    assert (amount.place, amount.year, amount.month_start, amount.month_end) == (
        "姚安县", 2023, 1, 5,
    )
    assert amount.kind == "actual"
    # "完成全年目标任务24亿元的39.3%": the target belongs to the amount, the share is progress.
    assert (amount.target, amount.target_value) == ("24亿元", 24.0)
    progress = next(i for i in doc.indicators if i.value == 39.3)
    assert progress.kind == "progress" and "24" not in progress.name
    assert next(i for i in doc.indicators if i.value == 13.8).kind == "growth"
    assert next(i for i in doc.indicators if i.value == 2.4).kind == "gap"
    rank = next(i for i in doc.indicators if i.unit == "位")
    assert (rank.value, rank.kind) == (3, "rank")


def test_year_only_in_the_date_line_and_a_county_named_in_a_prefecture_notice() -> None:
    doc = parse_text(QUARTER_NOTICE)
    assert (doc.subject, doc.period_year, doc.period_start, doc.period_end) == (
        "楚雄州", 2024, 1, 3,
    )
    assert doc.date == dt.date(2024, 4, 9)
    county = next(i for i in doc.indicators if i.value == 31.2)
    assert county.place == "楚雄市" and county.name == "州外到位资金"
    whole = next(i for i in doc.indicators if i.value == 118.6)
    assert whole.place == "楚雄州"


def test_a_page_that_says_only_全市_is_about_the_city_it_names_most() -> None:
    doc = parse_text(CITY_PAGE)
    assert doc.subject == "宜宾市"
    assert doc.period_year is None  # the page never says its year
    signed = next(i for i in doc.indicators if i.value == 112)
    assert (signed.place, signed.month_start, signed.month_end) == ("宜宾市", 1, 8)
    assert doc.display_name  # never empty, never 文件N


def test_province_news_lists_each_city_and_keeps_the_province_figure() -> None:
    doc = parse_text(PROVINCE_NEWS)
    assert doc.subject == "云南省" and doc.genre == "news"
    assert (doc.period_year, doc.period_start, doc.period_end) == (2023, 1, 6)
    by_place = {i.place: i.value for i in doc.indicators if i.name == "省外到位资金"}
    assert by_place == {"云南省": 3120.5, "昆明市": 802.1, "曲靖市": 356.4, "玉溪市": 298.7}
def test_first_sentence_place_beats_comparison_scope_words() -> None:
    text = (
        "洛阳市今年前8月招商引资稳中有进，全市新签约项目86个。\n"
        "前8月，全市实际到位省外资金512.3亿元，进度居全省第三位，增速居全省第五位，"
        "增幅高于全省平均水平。\n时间：2019-09-26\n"
    )
    doc = parse_text(text)
    assert doc.subject == "洛阳市"  # 全省 only compares; the body speaks for 全市
    assert (doc.period_year, doc.period_start, doc.period_end) == (2019, 1, 8)
    amount = next(i for i in doc.indicators if i.value == 512.3)
    assert amount.name == "省外到位资金"  # "实际到位省外资金" is the same figure


def test_growth_written_as_增() -> None:
    text = "武定县2024年一季度招商引资情况\n\n一季度，全县市外到位资金8.2亿元，增12.4%。"
    doc = parse_text(text)
    growth = next(i for i in doc.indicators if i.value == 12.4)
    assert growth.kind == "growth" and growth.name.endswith("同比增长")


def test_page_furniture_is_not_the_title_and_原标题_is() -> None:
    text = (
        "登录\n来源:某某在线\n原标题:前5月全省招商引资到位资金稳步增长记者从省商务厅获悉,"
        "2024年1-5月,全省实现省外到位资金812.6亿元。\n"
    )
    doc = parse_text(text)
    assert doc.title == "前5月全省招商引资到位资金稳步增长"
    assert (doc.period_year, doc.period_start, doc.period_end) == (2024, 1, 5)
    navigation = "当前位置:\n本市要闻\n开竣工率创新高\n今年1至7月，全市新开工项目58个。\n"
    assert parse_text(navigation).title == "开竣工率创新高"


def test_来皖_names_the_host_province_not_the_sending_ones() -> None:
    text = (
        "一季度苏浙两省来皖投资居前列\n\n记者从省合作办获悉，2024年1-3月，全省实际到位省外资金"
        "1820.4亿元。其中，江苏省来皖投资项目到位资金402.1亿元，浙江省381.7亿元。\n"
    )
    doc = parse_text(text)
    assert doc.subject == "安徽省"
    whole = next(i for i in doc.indicators if i.value == 1820.4)
    assert whole.place == "安徽省"


def test_an_office_named_by_its_level_reports_on_the_place_its_body_names() -> None:
    text = (
        "区投促局2023年工作总结\n\n发布时间:2023-12-30\n\n今年以来，南谯第一时间召开全区招商"
        "动员会，印发《南谯区招商引资攻坚方案》。全年新签约亿元以上项目41个。\n"
    )
    doc = parse_text(text)
    assert doc.subject == "南谯区" and doc.genre == "summary"
    assert (doc.period_year, doc.period_start, doc.period_end) == (2023, 1, 12)
    signed = next(i for i in doc.indicators if i.value == 41)
    assert (signed.place, signed.year) == ("南谯区", 2023)


def test_a_title_comparing_two_places_is_about_the_province_its_body_speaks_for() -> None:
    text = (
        "前5个月大理和保山引进省外到位资金居前\n\n今年1-5月，大理、保山引进省外到位资金分别为"
        "120.5亿元、98.2亿元。\n今年1-5月，全省引进省外到位资金1650.3亿元，全省新签约项目420个。\n"
        "2024年6月20日\n"
    )
    doc = parse_text(text)
    assert doc.subject == "云南省"
    whole = next(i for i in doc.indicators if i.value == 1650.3)
    assert whole.place == "云南省"


def test_a_task_handed_down_is_a_target_and_its_share_is_progress() -> None:
    doc = parse_text(
        "武定县2024年1-9月招商引资情况\n\n1-9月，全县完成州外到位资金48.2亿元，完成州政府下达"
        "任务数60亿元的80.3%；省外到位资金31.5亿元，完成州下达任务的75.1%。\n"
    )
    amount = next(i for i in doc.indicators if i.value == 48.2)
    assert (amount.target, amount.target_value) == ("60亿元", 60.0)
    progress = next(i for i in doc.indicators if i.value == 80.3)
    assert progress.kind == "progress" and "60" not in progress.name
    assert not any(i.value == 60 for i in doc.indicators)  # the task is not a figure of its own
    assert next(i for i in doc.indicators if i.value == 75.1).kind == "progress"


def test_ahead_of_schedule_is_a_gap_not_a_target() -> None:
    doc = parse_text(
        "姚安县2024年1-9月招商引资情况\n\n1-9月，全县完成省外到位资金18.2亿元，完成州下达任务的"
        "82.6%，超出计划进度目标1.7亿元，超出计划进度9.2%。\n"
    )
    kinds = {i.value: i.kind for i in doc.indicators}
    assert (kinds[82.6], kinds[1.7], kinds[9.2]) == ("progress", "gap", "gap")


def test_a_share_after_an_amount_is_the_amounts_share() -> None:
    doc = parse_text(
        "1-9月，全省民营企业投资项目2100个，签约金额3120.5亿元，占全部投资的68.2%。\n"
    )
    share = next(i for i in doc.indicators if i.value == 68.2)
    assert share.name.startswith("民营企业投资项目签约金额占")


def test_a_target_amount_written_before_目标任务() -> None:
    doc = parse_text(
        "大姚县2024年1-8月招商引资情况\n\n1-8月，全县累计到位资金41.3亿元，完成全年到位资金65亿元"
        "目标任务的63.5%。\n"
    )
    amount = next(i for i in doc.indicators if i.value == 41.3)
    assert (amount.target, amount.target_value) == ("65亿元", 65.0)
    assert next(i for i in doc.indicators if i.value == 63.5).kind == "progress"
    assert not any(i.value == 65 for i in doc.indicators)


def test_a_headline_opening_with_a_bare_county_name_is_about_that_county() -> None:
    doc = parse_text(
        "牟定：一季度项目招商开门红\n\n开年以来，牟定县抢抓时间节点谋划招商。2024年全省投资促进"
        "工作会议后，全县新签约项目8个，到位资金6.2亿元。\n"
    )
    assert doc.subject == "牟定县"
    assert next(i for i in doc.indicators if i.value == 6.2).place == "牟定县"


def test_an_event_venue_and_a_quoted_event_name_are_not_the_subject() -> None:
    doc = parse_text(
        "今年一季度，全市实际到位市外资金52.4亿元。“2024中外企业云南行”在昆明举行，我市签约项目"
        "6个；我市还参加了“大连投资促进周”。借助已落户曲靖外资企业开展以商招商。\n"
    )
    assert doc.subject == "曲靖市"


def test_a_date_line_that_opens_with_an_iso_date() -> None:
    doc = parse_text(
        "全省上半年招商引资稳中有进\n\n2024-07-30 09:15 来源：某日报\n\n上半年，全省到位资金"
        "3120亿元。\n"
    )
    assert doc.date is not None and doc.date.year == 2024
    assert doc.period_year == 2024


def test_a_zone_named_after_its_city_votes_for_the_city() -> None:
    doc = parse_text(
        "本报讯 今年1-8月，我市各县（市、区）和曲靖经济技术开发区招商工作总体较好。1-8月，全市"
        "实际利用内资412.5亿元。\n"
    )
    assert doc.subject == "曲靖市"


def test_a_district_named_only_by_its_bare_name() -> None:
    doc = parse_text(
        "2023年，全区上报入统招商项目40个，总投资100.2亿元。全区上下齐心协力，奋力打造高质量"
        "发展的云城。\n"
    )
    assert doc.subject == "云城区"
