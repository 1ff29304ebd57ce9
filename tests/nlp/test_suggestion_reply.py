"""A reply to an NPC deputy's suggestion (建议), ingested from a real file and asked about."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import make_engine, make_session_factory
from db.migrate import upgrade
from knowledge.ingest import ingest_path
from nlp.pipeline import build_assistant

LETTER = """楚雄州某县投资促进局

县投促复〔2023〕5号

关于县十八届人大二次会议第031号建议的答复

赵红代表：

您提出的《关于加快工业园区招商的建议》收悉，现答复如下：

一、基本情况

2023年1-6月，全县新签约项目42个，县外到位资金同比增长11.2%，较2022年同期提高2个百分点。

二、主要措施

（一）压缩审批时间。企业开办审批时限压缩至3个工作日以内。

三、下一步工作

（一）加强园区保障。新建标准厂房5万平方米以上，力争招引企业20家左右。
（二）加强要素保障。积极争取用地、用能指标，保障重点项目落地。

县投资促进局
2023年7月10日
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    folder = tmp_path_factory.mktemp("suggestion")
    url = f"sqlite:///{folder / 'kb.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    letter = folder / "reply_031.txt"
    letter.write_text(LETTER, encoding="utf-8")
    assert ingest_path(sessions, letter).status == "added"
    yield build_assistant(sessions, model_cache)
    engine.dispose()


def test_the_deputy_is_named_as_the_suggestions_author(assistant) -> None:
    text = assistant.answer("这个建议是谁提的").text
    assert "建议人：赵红代表" in text


def test_the_reply_says_which_suggestion_it_answers(assistant) -> None:
    text = assistant.answer("答复的是第几号建议").text
    assert "第031号建议" in text and "提案" not in text


def test_a_comparison_year_does_not_hide_the_figure(assistant) -> None:
    reply = assistant.answer("县外到位资金比去年同期增长多少")
    assert reply.answered and reply.facts[0].value == 11.2


def test_a_planned_figure_is_labelled_as_a_target_with_its_hedge(assistant) -> None:
    reply = assistant.answer("要新建多少标准厂房")
    assert reply.answered and reply.facts[0].value == 5
    assert "5万平方米以上" in reply.text and "下步工作目标" in reply.text
    assert "截至" not in reply.text


def test_the_measured_thing_keeps_its_verb(assistant) -> None:
    reply = assistant.answer("企业开办审批时限是多少")
    assert reply.answered and reply.facts[0].value == 3
    assert "3个工作日以内" in reply.text


def test_a_planned_figure_answers_a_question_about_the_plan(assistant) -> None:
    reply = assistant.answer("计划招引多少家企业")
    assert reply.answered and reply.facts[0].value == 20
    assert "20家左右" in reply.text and "未载明" not in reply.text


def test_the_new_documents_own_words_reach_its_plan(assistant) -> None:
    reply = assistant.answer("用地指标紧张怎么办")
    assert reply.answered and "三（二）" in reply.text
