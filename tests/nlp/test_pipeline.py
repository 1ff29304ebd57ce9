from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from db.models import Document, QuestionLog
from nlp.pipeline import build_assistant
from tests.nlp.kb_seed import seed_reply_letter


def test_figure_question_puts_the_asked_value_first_with_period_and_source(seeded_assistant):
    reply = seeded_assistant.answer("县外到位资金增长多少")
    assert reply.answered and reply.intent == "indicator"
    assert reply.facts[0].value == 12.5
    assert "1-6月" in reply.text and "县投促字〔2022〕7号" in reply.text
    assert reply.citations[0].section == "一"


def test_target_question_gets_the_target(seeded_assistant):
    reply = seeded_assistant.answer("县外到位资金全年目标是多少")
    assert reply.facts[0].value == 10.0


def test_progress_question_gets_the_progress(seeded_assistant):
    reply = seeded_assistant.answer("县外到位资金完成全年目标进度")
    assert reply.facts[0].value == 55.1


def test_synonym_and_traditional_characters_reach_the_figure(seeded_assistant):
    reply = seeded_assistant.answer("外資多少")
    assert reply.answered
    assert reply.facts[0].value == 40.0
    assert "1-5月" in reply.text


def test_period_not_held_is_declined_naming_what_is_held(seeded_assistant):
    for question in ("下半年县外到位资金增长多少", "2023年县外到位资金增长多少"):
        reply = seeded_assistant.answer(question)
        assert not reply.answered
        assert "1-6月" in reply.text
        assert "12.5" not in reply.text


def test_plan_question_lists_points_with_source(seeded_assistant):
    reply = seeded_assistant.answer("融资难怎么解决")
    assert reply.answered and reply.intent == "plan"
    assert "PPP" in reply.text and "三（一）" in reply.text


def test_overview_of_next_steps_lists_every_planned_action(seeded_assistant):
    reply = seeded_assistant.answer("下一步的重点工作是什么")
    assert "拓宽融资渠道" in reply.text and "优化营商环境" in reply.text


def test_time_words_of_the_future_ask_for_the_plan_not_a_period(seeded_assistant):
    for question in ("下半年打算怎么做", "后续有什么安排"):
        reply = seeded_assistant.answer(question)
        assert reply.answered, question
        assert "拓宽融资渠道" in reply.text and "优化营商环境" in reply.text


def test_entity_question_quotes_the_sentence_naming_it(seeded_assistant):
    reply = seeded_assistant.answer("华光新材料有限公司")
    assert reply.answered and "合资公司" in reply.text


def test_document_fields(seeded_assistant):
    assert "县投促字〔2022〕7号" in seeded_assistant.answer("文号是多少").text
    assert "张明" in seeded_assistant.answer("联系人是谁").text
    assert "015" in seeded_assistant.answer("答复的是第几号提案").text


def test_greeting_gets_capability_text(seeded_assistant):
    reply = seeded_assistant.answer("你好")
    assert reply.answered and reply.intent == "help"


def test_out_of_scope_is_declined_with_suggestions(seeded_assistant):
    reply = seeded_assistant.answer("今天天气怎么样")
    assert not reply.answered
    assert reply.suggestions
    assert "12.5" not in reply.text


def test_empty_question_is_declined(seeded_assistant):
    assert not seeded_assistant.answer("   ").answered


def test_answer_writes_nothing_and_refresh_sees_new_documents(sessions, model_cache: Path):
    seed_reply_letter(sessions)
    assistant = build_assistant(sessions, model_cache)
    with sessions() as session:
        logs = session.scalar(select(func.count()).select_from(QuestionLog))
    assistant.answer("县外到位资金增长多少")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(QuestionLog)) == logs
    with sessions.begin() as session:
        session.add(Document(number="县投促字〔2023〕1号", content_hash="other", title="新文件"))
    assert "〔2023〕1号" not in assistant.answer("有哪些文件").text
    assistant.refresh()
    assert "〔2023〕1号" in assistant.answer("有哪些文件").text


def test_pasted_proposal_is_handed_to_triage(seeded_assistant):
    text = "关于优化营商环境的提案：我县审批环节多、时间长，建议推行并联审批，压缩办理时限。"
    reply = seeded_assistant.answer(text)
    assert reply.intent == "triage" and not reply.answered


def test_short_question_starting_with_guanyu_is_still_answered(seeded_assistant):
    assert seeded_assistant.answer("关于融资难的打算").intent == "plan"


def test_thanks_gets_a_short_reply(seeded_assistant):
    reply = seeded_assistant.answer("谢谢")
    assert reply.answered and reply.intent == "help" and len(reply.text) < 20
