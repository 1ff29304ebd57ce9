"""handlers.handle offline, with the real services and assistant over a fresh database."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from bot import callback_data as cb
from bot.console import chat, parse_line
from bot.handlers import handle
from bot.incoming import Incoming
from bot.questions import EXAMPLES
from db.models import Feedback, QuestionLog
from tests.bot.conftest import ADMIN, ALLOWED, ALLOWED_2
from zhtext.proposal import looks_like_proposal

PROPOSAL = (
    "关于进一步提高招商引资项目落地率的提案\n案由：近年来我州招商引资工作取得一定成效，"
    "但项目签约多、落地少的问题仍然存在。建议：一是加强部门联动，建立项目跟踪服务机制；"
    "二是完善招商引资政策体系；三是强化要素保障，解决用地和融资难题。"
)


def ask(services, text: str, user: int = ALLOWED, update_id: int | None = None, **kw):
    incoming = Incoming(user_id=user, chat_id=user, text=text, update_id=update_id, **kw)
    return handle(incoming, services)


def count(services, model) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def db_services(make_services, db_url: str):
    """Real services over a fresh database of each backend."""
    return make_services(db_url=db_url)


def test_question_is_answered_logged_and_buttoned(db_services) -> None:
    reply = ask(db_services, "上半年州外到位资金增长多少", update_id=41)
    assert reply.answered and "19.4%" in reply.text and reply.citations
    labels = [b.label for row in reply.buttons for b in row]
    assert {"出处", "相关", "👍", "👎"} <= set(labels)
    with db_services.sessions() as session:
        row = session.scalars(select(QuestionLog)).one()
    assert (row.user_id, row.update_id, row.intent, row.answered) == (
        ALLOWED,
        41,
        "indicator",
        True,
    )
    again = ask(db_services, "上半年州外到位资金增长多少", update_id=41)  # a re-handled update
    assert again.buttons == reply.buttons and count(db_services, QuestionLog) == 1


def test_feedback_is_stored_once_per_user_and_replaced(db_services) -> None:
    reply = ask(db_services, "外资到位多少")
    data = {b.label: b.data for row in reply.buttons for b in row}
    press = lambda user, label: handle(  # noqa: E731
        Incoming(user_id=user, chat_id=user, callback=data[label]), db_services
    )
    assert press(ALLOWED, "👍").intent == "feedback"
    press(ALLOWED, "👎")
    press(ALLOWED_2, "👍")
    with db_services.sessions() as session:
        votes = sorted(session.execute(select(Feedback.user_id, Feedback.value)).all())
    assert votes == [(ALLOWED, -1), (ALLOWED_2, 1)]


def test_source_and_related_buttons(services) -> None:
    reply = ask(services, "上半年州外到位资金增长多少")
    data = {b.label: b.data for row in reply.buttons for b in row}
    source = handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, callback=data["出处"]), services)
    assert "【州投促字〔2021〕3号 一】" in source.text and "提前时序进度" in source.text
    related = handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, callback=data["相关"]), services)
    assert related.answered and related.text.startswith("相关措施和计划")
    other = handle(Incoming(user_id=ALLOWED_2, chat_id=ALLOWED_2, callback=data["出处"]), services)
    assert not other.answered and "【" not in other.text


def test_stale_and_forged_callbacks_do_nothing(services) -> None:
    before = count(services, QuestionLog), count(services, Feedback)
    for data in ("1|fb|424242|+", "1|src|x", "junk", "1|ex|99", "1|zb|999999"):
        reply = handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, callback=data), services)
        assert not reply.answered
    assert (count(services, QuestionLog), count(services, Feedback)) == before


def test_example_button_asks_the_example(services) -> None:
    reply = handle(Incoming(user_id=ALLOWED, callback=cb.encode("ex", 0)), services)
    assert reply.answered and EXAMPLES[0]
    assert count(services, QuestionLog) == 1


def test_proposal_goes_to_triage(services) -> None:
    assert looks_like_proposal(PROPOSAL)
    reply = ask(services, PROPOSAL)
    assert reply.intent in ("triage", "proposal")
    with services.sessions() as session:
        assert session.scalars(select(QuestionLog.intent)).one() == reply.intent


def test_oversized_text_gets_a_clear_message_and_nothing_is_written(services) -> None:
    reply = ask(services, "资" * (services.settings.max_triage_chars + 1))
    assert "内容过长" in reply.text and not reply.answered
    assert count(services, QuestionLog) == 0


def test_commands(services) -> None:
    def command(name: str, *args: str, user: int = ALLOWED):
        incoming = Incoming(
            user_id=user, chat_id=user, command=name, args=list(args), is_admin=user == ADMIN
        )
        return handle(incoming, services)

    assert "州外到位资金增长" in command("zb").text and command("zb").buttons
    assert "19.4%" in command("indicators", "州外到位资金").text
    assert "未找到指标“不存在的指标”" in command("zb", "不存在的指标").text
    assert "网络招商" in command("cs").text
    assert "融资" in command("jh", "融资").text
    assert "州投促字〔2021〕3号" in command("docs").text
    assert "管理员" in command("stats").text
    command("zb", "州外到位资金")
    ask(services, "外资到位多少")
    assert "近30天共1个问题" in command("stats", user=ADMIN).text
    assert "未知命令" in command("nosuch").text
    assert command("tian").intent == "proposal"
    chart = command("chart")
    assert chart.attachments and chart.attachments[0].data.startswith(b"\x89PNG")


def test_console_runs_the_same_handlers_and_shows_buttons(services) -> None:
    out = io.StringIO()
    lines = "/start\n上半年州外到位资金增长多少\n[出处]\n/zb <test/>\nexit\n不会被读到\n"
    assert chat(services, io.StringIO(lines), out) == 0
    text = out.getvalue()
    assert "[上半年州外到位资金增长多少]" in text and "19.4%" in text and "[👍]  [👎]" in text
    assert "【州投促字〔2021〕3号 一】" in text
    assert "未找到指标“<test/>”" in text  # the console shows plain text, not HTML
    assert "不会被读到" not in text
    assert count(services, QuestionLog) == 1
    assert parse_line("/zb 州外 资金").args == ["州外", "资金"]
