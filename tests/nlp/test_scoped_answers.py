"""Many documents in one base: every figure from the asked place and period, or an honest no.

The documents are small texts of the genre written for these tests: a county brief whose year
is only in its title, a prefecture notice whose year is only in its date line, a province news
item with a 分别为 list, a zone report with actual and target in one sentence, and a page that
never says its year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from knowledge.ingest import ingest_text
from nlp.pipeline import build_assistant

DOCUMENTS = {
    "yaoan.txt": """姚安县2023年1-5月招商引资工作简报

1-5月，全县实现州外到位资金9.42亿元，同比增长13.8%，完成全年目标任务24亿元的39.3%。签约项目落地率61.5%。
""",
    "notice.txt": """全州一季度招商引资进展通报

各县市投资促进局：

一季度，全州引进州外到位资金118.6亿元，同比增长9.1%，签约项目落地率72.4%。从总量看，楚雄市完成州外到位资金31.2亿元，居全州第一。

楚雄州投资促进局

2024年4月9日
""",
    "province.txt": """上半年全省引资结构持续优化

本报讯 上半年，全省实现省外到位资金3120.5亿元，同比增长8.7%。\
其中，昆明、曲靖、玉溪省外到位资金分别为802.1亿元、356.4亿元和298.7亿元。

2023年7月20日
""",
    "zone.txt": """楚雄高新区2023年1-10月招商引资推进情况

1-10月，全区完成州外到位资金41.6亿元，占年度目标任务55亿元的75.6%，同比增长6.3%。
""",
    "mouding.txt": """牟定县2024年前三季度招商引资工作情况

前三季度，全县实现州外到位资金26.9亿元，同比增长7.7%。
""",
    "undated.txt": """当前位置：首页 > 要闻

今年1至8月，大姚县新签约项目14个，实际到位州外资金15.7亿元。全县上下要对标全年任务。
""",
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    url = f"sqlite:///{tmp_path_factory.mktemp('scoped') / 'kb.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    for name, text in DOCUMENTS.items():
        ingest_text(sessions, text, name)
    yield build_assistant(sessions, model_cache)
    engine.dispose()


def first_value(assistant, question: str) -> float | None:
    reply = assistant.answer(question)
    return reply.facts[0].value if reply.answered and reply.facts else None


def test_a_county_question_gets_the_county_figure(assistant) -> None:
    assert first_value(assistant, "姚安县1-5月州外到位资金多少") == 9.42
    assert first_value(assistant, "姚安前5个月签约项目落地率") == 61.5


def test_year_from_the_date_line_and_a_county_in_a_prefecture_notice(assistant) -> None:
    assert first_value(assistant, "2024年一季度全州州外到位资金多少") == 118.6
    assert first_value(assistant, "楚雄市一季度州外到位资金多少") == 31.2


def test_each_place_of_a_list(assistant) -> None:
    assert first_value(assistant, "上半年曲靖省外到位资金多少") == 356.4
    assert first_value(assistant, "2023年上半年全省省外到位资金") == 3120.5


def test_actual_and_target_from_one_sentence(assistant) -> None:
    assert first_value(assistant, "楚雄高新区1-10月州外到位资金完成了多少") == 41.6
    assert first_value(assistant, "楚雄高新区州外到位资金年度目标任务多少") == 55.0
    assert first_value(assistant, "楚雄高新区州外到位资金完成目标的百分之几") == 75.6


def test_a_place_no_document_holds_is_declined_naming_what_is_held(assistant) -> None:
    reply = assistant.answer("南华县一季度州外到位资金多少")
    assert not reply.answered
    assert "库中有" in reply.text and "楚雄州 2024年1-3月" in reply.text
    for other in ("118.6", "31.2", "9.42", "41.6"):
        assert other not in reply.text


def test_a_period_no_document_holds_is_declined(assistant) -> None:
    reply = assistant.answer("姚安县2022年州外到位资金多少")
    assert not reply.answered and "9.42" not in reply.text


def test_a_page_without_a_year_never_answers_a_year_asked(assistant) -> None:
    assert first_value(assistant, "大姚县1-8月新签约项目几个") == 14
    reply = assistant.answer("大姚县2024年1-8月新签约项目几个")
    assert not reply.answered and "大姚县 1-8月" in reply.text


def test_without_a_place_the_bureaus_own_prefecture_answers_and_others_are_named(
    assistant,
) -> None:
    reply = assistant.answer("州外到位资金同比增长多少")
    assert reply.facts[0].value == 9.1  # 楚雄州's own, not a county's or the zone's
    assert "库中另有" in reply.text and "楚雄高新区" in reply.text


def test_citations_name_the_document_never_a_number(assistant) -> None:
    reply = assistant.answer("姚安县1-5月州外到位资金多少")
    assert "来源：姚安县2023年1-5月招商引资工作简报" in reply.text
    assert "文件1" not in reply.text and "文件2" not in reply.text


def test_前三季度_is_a_period_not_a_ranking(assistant) -> None:
    # "前三" also means "the top three": the period must not turn the question into a table.
    assert first_value(assistant, "牟定县前三季度州外到位资金多少") == 26.9


def test_a_bare_开发区_is_a_zone_never_another_place(assistant) -> None:
    # No document is about an unnamed 开发区: decline rather than answer 姚安县's or 楚雄州's.
    reply = assistant.answer("开发区1-5月州外到位资金多少")
    assert not reply.answered and "9.42" not in reply.text


def test_a_province_with_a_place_inside_it_asks_for_that_place(assistant) -> None:
    # "云南…曲靖": where 曲靖 is, not a comparison of the two; 曲靖 holds its own figure.
    assert first_value(assistant, "云南上半年曲靖省外到位资金多少") == 356.4
