from __future__ import annotations

from nlp.figures import FigureIndex, asked_aspect, names_every_word, number_with_unit
from nlp.kb_records import IndicatorInfo
from nlp.periods import question_scope
from scope.places import Gazetteer

GAZETTEER = Gazetteer()


def _indicator(i: int, name: str, value: float, **kw) -> IndicatorInfo:
    base = dict(
        id=i,
        document_id=1,
        name=name,
        value=value,
        unit="%",
        period="1-6月",
        target=None,
        target_value=None,
        gap=None,
        progress=None,
        qualifier=None,
        section="一",
        quote=name,
    )
    base.update(kw)
    return IndicatorInfo(**base)


INDICATORS = [
    _indicator(
        1,
        "县外到位资金增长",
        12.5,
        target="10%",
        target_value=10.0,
        progress="完成全年目标进度55.1%",
        gap="高于目标2.5个百分点",
        qualifier="县外",
    ),
    _indicator(2, "市外到位资金增长", 20.0, qualifier="市外"),
    _indicator(3, "招商活动", 120.0, unit="次", period="上半年"),
]


def test_aspect_cues() -> None:
    assert asked_aspect("县外到位资金增长多少") == "value"
    assert asked_aspect("县外到位资金全年目标") == "target"
    assert asked_aspect("县外到位资金完成进度") == "progress"
    assert asked_aspect("比目标高多少") == "gap"
    assert asked_aspect("产业资金占比目标") == "target"  # 占比 + 目标, not 比目标


def test_the_asked_figure_ranks_first() -> None:
    index = FigureIndex(INDICATORS)
    assert index.rank("县外到位资金增长多少", [])[0].value == 12.5
    assert index.rank("县外到位资金目标", [])[0].value == 10.0
    assert index.rank("县外到位资金完成进度", [])[0].value == 55.1
    assert index.rank("县外到位资金高于目标多少", [])[0].value == 2.5


def test_qualifier_separates_similar_names() -> None:
    index = FigureIndex(INDICATORS)
    assert index.rank("市外到位资金增长多少", [])[0].indicator.id == 2


def test_unit_word_prefers_a_matching_unit() -> None:
    index = FigureIndex(INDICATORS)
    assert index.rank("招商活动多少次", [])[0].indicator.id == 3


def test_a_count_noun_picks_the_figure_counted_in_its_unit() -> None:
    rows = [
        _indicator(1, "网上推介会", 3.0, unit="场", quote="举办3场网上推介会，1000多家企业参与"),
        _indicator(2, "参与企业", 1000.0, unit="家", quote="举办3场网上推介会，1000多家企业参与"),
    ]
    index = FigureIndex(rows)
    assert index.rank("网上推介会有多少企业参与", [])[0].indicator.id == 2
    assert index.rank("网上推介会办了几场", [])[0].indicator.id == 1


def test_unrelated_question_matches_nothing() -> None:
    assert FigureIndex(INDICATORS).rank("火星距离", []) == []


def test_number_with_unit() -> None:
    assert number_with_unit("完成全年目标进度55.1%") == (55.1, "%")
    assert number_with_unit("高于目标2.5个百分点") == (2.5, "个百分点")
    assert number_with_unit("无") is None


def test_question_scope_reads_period_year_and_place() -> None:
    scope = question_scope("2023年下半年楚雄市到位资金", 2021, GAZETTEER)
    assert (scope.span, scope.year, [p.name for p in scope.places]) == ((7, 12), 2023, ["楚雄市"])
    assert question_scope("今年上半年", 2021, GAZETTEER).year == 2021
    assert question_scope("南华一季度项目落地率", 2021, GAZETTEER).span == (1, 3)
    assert [p.name for p in question_scope("全州落地率", 2021, GAZETTEER).places] == ["楚雄州"]


def test_a_growth_baseline_is_not_a_question_about_last_year() -> None:
    baselines = ("到位资金比去年同期增长了百分之几", "与去年相比增长多少", "较上年同期增长多少")
    for question in baselines:
        assert question_scope(question, 2021, GAZETTEER).year is None, question
    assert question_scope("去年到位资金增长多少", 2021, GAZETTEER).year == 2020


def test_a_share_of_the_task_is_asked_though_the_words_say_资金() -> None:
    rows = [
        _indicator(1, "省外到位资金完成州下达任务", 82.6),
        _indicator(2, "省外到位资金完成州下达任务超出计划进度目标", 1.68, unit="亿元"),
    ]
    index = FigureIndex(rows)
    assert index.rank("省外到位资金完成州下达任务的多少", [])[0].value == 82.6
    # Ahead of schedule is a gap, whatever else its name says.
    assert index.rank("省外到位资金超出计划进度多少", [])[0].value == 1.68


def test_占比_finds_a_share_written_as_占x的() -> None:
    rows = [
        _indicator(1, "民营企业投资项目签约金额占全部投资", 73.97),
        _indicator(2, "民营企业投资项目签约金额", 6978.16, unit="亿元"),
    ]
    assert FigureIndex(rows).rank("民营企业投资签约金额占比多少", [])[0].value == 73.97


def test_a_fall_is_asked_as_a_percentage() -> None:
    rows = [
        _indicator(1, "区外境内累计到位资金", 7.6, unit="亿元"),
        _indicator(2, "区外境内累计到位资金同比下降", 30.6),
    ]
    assert FigureIndex(rows).rank("区外境内到位资金同比下降多少", [])[0].value == 30.6


def test_a_short_question_every_word_of_which_names_a_figure() -> None:
    assert names_every_word("23年一季度全州落地率", [], "签约项目落地率")  # period, scope word
    assert not names_every_word("全州开工率", [], "签约项目落地率")
    assert names_every_word("落地率", [], "签约项目落地率")
    assert names_every_word("到位州外资金", [], "州外到位资金")  # folded the same way
    assert not names_every_word("天气怎么样", [], "签约项目落地率")
