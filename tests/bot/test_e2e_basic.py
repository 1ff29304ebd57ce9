"""End to end: the real Application polling the fake Bot API, real services and database."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
from sqlalchemy import func, select

from bot.callback_data import encode
from bot.commands import COMMANDS, visible_commands
from bot.telegram.app import registered_commands
from db.models import Feedback, QuestionLog
from devtools.fake_bot_api import FakeBotAPI, callback_update, inline_update, message_update
from tests.bot.conftest import ALLOWED, ALLOWED_2, STRANGER, RunningBot, until


def texts(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [c.params["text"] for c in api.sent("sendMessage", chat_id)]


def buttons(call) -> dict[str, str]:
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def test_allowed_user_gets_cited_answer_with_buttons(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    fake_api.add_update(message_update(ALLOWED, "上半年州外到位资金增长多少"))
    await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    call = fake_api.sent("sendMessage", ALLOWED)[0]
    assert "19.4%" in call.params["text"] and "州投促字〔2021〕3号" in call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert {"出处", "相关", "👍", "👎"} <= set(buttons(call))
    assert all(len(data.encode()) <= 64 for data in buttons(call).values())
    with running_bot.services.sessions() as session:
        row = session.scalars(select(QuestionLog)).one()
    assert (row.user_id, row.intent, row.answered) == (ALLOWED, "indicator", True)
    assert row.latency_ms is not None and row.confidence > 0


async def test_stranger_is_refused_without_data(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    fake_api.add_update(message_update(STRANGER, "上半年州外到位资金增长多少"))
    await until(lambda: fake_api.sent("sendMessage", STRANGER))
    sent = texts(fake_api, STRANGER)
    assert len(sent) == 1 and "授权" in sent[0] and "19.4" not in sent[0]
    with running_bot.services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(QuestionLog)) == 0


async def test_buttons_source_feedback_and_forged_callback(
    running_bot_any: RunningBot, fake_api: FakeBotAPI
) -> None:
    running_bot = running_bot_any
    fake_api.add_update(message_update(ALLOWED, "上半年州外到位资金增长多少"))
    await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    data = buttons(fake_api.sent("sendMessage", ALLOWED)[0])
    fake_api.add_update(callback_update(ALLOWED, data["出处"]))
    await until(lambda: len(fake_api.sent("sendMessage", ALLOWED)) >= 2)
    source = texts(fake_api, ALLOWED)[1]
    assert "【州投促字〔2021〕3号 一】" in source and "提前时序进度" in source
    fake_api.add_update(callback_update(ALLOWED, data["👍"]))
    await until(
        lambda: any(
            c.params.get("text") == "感谢反馈！" for c in fake_api.sent("answerCallbackQuery")
        )
    )
    # A stranger replaying real callback data, and an allowed user sending forged data.
    fake_api.add_update(callback_update(STRANGER, data["出处"]))
    fake_api.add_update(callback_update(STRANGER, data["👎"]))
    fake_api.add_update(callback_update(ALLOWED_2, data["出处"]))  # not the asker
    fake_api.add_update(callback_update(ALLOWED, "1|fb|999999|+"))
    fake_api.add_update(callback_update(ALLOWED, "garbage|<b>"))
    await until(lambda: len(fake_api.sent("answerCallbackQuery")) >= 7)
    # Chats run concurrently: the reply to ALLOWED_2 may follow the callback answers.
    await until(lambda: texts(fake_api, ALLOWED_2) != [])
    assert texts(fake_api, STRANGER) == []
    assert texts(fake_api, ALLOWED_2) == ["没有找到这条回答的出处。"]
    with running_bot.services.sessions() as session:
        votes = session.execute(select(Feedback.user_id, Feedback.value)).all()
    assert votes == [(ALLOWED, 1)]


async def test_inline_query_is_personal_and_refused_to_strangers(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    fake_api.add_update(inline_update(ALLOWED, "州外到位资金"))
    fake_api.add_update(inline_update(STRANGER, "州外到位资金"))
    await until(lambda: len(fake_api.sent("answerInlineQuery")) >= 2)
    by_user = {}
    for call in fake_api.sent("answerInlineQuery"):
        by_user[call.params["inline_query_id"][2:5]] = call.params
    allowed, stranger = by_user[str(ALLOWED)], by_user[str(STRANGER)]
    assert allowed["is_personal"] is True and allowed["cache_time"] <= 10
    assert any("19.4" in r["input_message_content"]["message_text"] for r in allowed["results"])
    assert stranger["results"] == [] and stranger["is_personal"] is True


async def test_user_text_is_escaped(running_bot: RunningBot, fake_api: FakeBotAPI) -> None:
    fake_api.add_update(message_update(ALLOWED, "/zb <test/>"))
    await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    fake_api.add_update(message_update(ALLOWED, "/zb a_b*c"))
    await until(lambda: len(fake_api.sent("sendMessage", ALLOWED)) >= 2)
    first, second = texts(fake_api, ALLOWED)
    assert "&lt;test/&gt;" in first and "<test/>" not in first
    assert "a_b*c" in second


async def test_commands_table_registration_help_and_menu_agree(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    names = {n for c in COMMANDS for n in c.names}
    assert registered_commands(running_bot.application) == names
    await until(lambda: fake_api.commands)  # published in the background after start
    assert [c["command"] for c in fake_api.commands] == [c.name for c in visible_commands(False)]
    assert all(c["description"] for c in fake_api.commands)
    fake_api.add_update(message_update(ALLOWED, "/help"))
    await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    help_text = texts(fake_api, ALLOWED)[0]
    for command in visible_commands(False):
        assert f"/{command.name}" in help_text
    assert "/stats" not in help_text
    example = buttons(fake_api.sent("sendMessage", ALLOWED)[0])
    assert example and all(d.startswith("1|ex|") for d in example.values())
    fake_api.add_update(callback_update(ALLOWED, encode("ex", 0)))
    await until(lambda: len(fake_api.sent("sendMessage", ALLOWED)) >= 2)
    assert "19.4%" in texts(fake_api, ALLOWED)[1]
    for alias in ("/indicators", "/measures", "/plans", "/docs"):
        fake_api.add_update(message_update(ALLOWED, alias))
    await until(lambda: len(fake_api.sent("sendMessage", ALLOWED)) >= 6)
    listing = texts(fake_api, ALLOWED)[2:6]
    assert "州外到位资金增长" in listing[0] and "网络招商" in listing[1]
    assert "下步计划" in listing[2] and "州投促字〔2021〕3号" in listing[3]


class SlowAssistant:
    """The real assistant, 1.3 s slower: long enough for a typing indicator."""

    def __init__(self, real) -> None:
        self.real = real

    def answer(self, question: str):
        import time

        time.sleep(1.3)
        return self.real.answer(question)


async def test_typing_indicator_when_work_takes_over_a_second(
    make_services, fake_api: FakeBotAPI
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    services = replace(services, assistant=SlowAssistant(services.assistant))
    async with RunningBot(services):
        fake_api.add_update(message_update(ALLOWED, "外资到位多少"))
        fake_api.add_update(message_update(ALLOWED_2, "/docs"))  # fast: no typing
        await until(lambda: len(fake_api.sent("sendMessage")) >= 2)
    actions = fake_api.sent("sendChatAction")
    assert [int(c.params["chat_id"]) for c in actions] == [ALLOWED]
    assert actions[0].params["action"] == "typing"
    assert actions[0].at < fake_api.sent("sendMessage", ALLOWED)[0].at


async def test_stranger_upload_and_inline_get_nothing_and_inline_is_logged(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    from devtools.fake_bot_api import document_update

    fake_api.add_update(document_update(fake_api, STRANGER, "报告.txt", "一、概况".encode()))
    fake_api.add_update(inline_update(ALLOWED, "省外到位资金"))
    await until(
        lambda: fake_api.sent("sendMessage", STRANGER) and fake_api.sent("answerInlineQuery")
    )
    assert not [c for c in fake_api.calls if c.method == "getFile"]
    assert "授权" in texts(fake_api, STRANGER)[0]
    with running_bot.services.sessions() as session:
        row = session.scalars(select(QuestionLog)).one()
    assert (row.source, row.text, row.user_id) == ("inline", "省外到位资金", ALLOWED)


PROPOSAL = (
    "关于进一步提高招商引资项目落地率的提案\n案由：近年来我州招商引资工作取得一定成效，"
    "但项目签约多、落地少的问题仍然存在。建议：一是加强部门联动，建立项目跟踪服务机制；"
    "二是完善招商引资政策体系；三是强化要素保障，解决用地和融资难题。"
)


async def test_pasted_proposal_is_triaged_with_a_docx_draft_and_tracked(
    running_bot: RunningBot, fake_api: FakeBotAPI
) -> None:
    from tests.bot.conftest import ADMIN

    fake_api.add_update(message_update(ADMIN, PROPOSAL))
    await until(lambda: fake_api.sent("sendDocument", ADMIN), timeout=30)
    summary = fake_api.sent("sendMessage", ADMIN)[0]
    draft = fake_api.sent("sendDocument", ADMIN)[0].params["document"]
    assert draft["filename"].endswith(".docx") and draft["data"].startswith(b"PK")
    assert "提案" in summary.params["text"]
    fake_api.add_update(message_update(ADMIN, "/tian"))
    await until(lambda: len(fake_api.sent("sendMessage", ADMIN)) >= 2)
    listing = fake_api.sent("sendMessage", ADMIN)[-1]
    assert "落地率" in listing.params["text"]
    data = [d for d in buttons(listing).values() if d.startswith("tian:")]
    assert data and all(len(d.encode()) <= 64 for d in data)
    fake_api.add_update(message_update(ADMIN, "/tian 导出"))
    await until(lambda: len(fake_api.sent("sendDocument", ADMIN)) >= 2, timeout=30)
    ledger = fake_api.sent("sendDocument", ADMIN)[-1].params["document"]
    assert ledger["filename"].startswith("提案办理台账_") and ledger["filename"].endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(ledger["data"])).active
    assert sheet["A1"].value == "序号" and "落地率" in sheet["D2"].value


class OneSlowQuestion:
    """The real assistant, except that one question takes three seconds."""

    def __init__(self, real) -> None:
        self.real = real

    def answer(self, question: str):
        import time

        if question == "慢问题":
            time.sleep(3)
        return self.real.answer(question)


async def test_one_slow_chat_does_not_hold_up_the_others(
    make_services, fake_api: FakeBotAPI
) -> None:
    services = make_services(telegram_api_base_url=fake_api.url)
    services = replace(services, assistant=OneSlowQuestion(services.assistant))
    async with RunningBot(services):
        fake_api.add_update(message_update(ALLOWED, "慢问题"))
        await until(lambda: fake_api.sent("sendChatAction", ALLOWED))  # it is being worked on
        fake_api.add_update(message_update(ALLOWED_2, "外资到位多少"))
        await until(lambda: fake_api.sent("sendMessage", ALLOWED_2), timeout=2.5)
        assert not fake_api.sent("sendMessage", ALLOWED)  # still busy, yet the other was served
        await until(lambda: fake_api.sent("sendMessage", ALLOWED))
    assert len(fake_api.sent("sendMessage", ALLOWED)) == 1
