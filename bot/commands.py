"""The one table of commands: it drives dispatch, handler registration, /help and setMyCommands.

The table imports the modules whose functions it lists; none of them imports the table, so
there is no cycle. /help is the one command that reads the table, so it lives here with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import admin, browse
from bot.incoming import Incoming
from bot.proposal_handlers import tian_reply
from bot.questions import example_buttons
from nlp.reply import Reply

if TYPE_CHECKING:
    from bot.services import Services

CommandHandler = Callable[[Incoming, "Services"], Reply]


@dataclass(frozen=True)
class Command:
    """One command: its name, English aliases, Chinese description and handler."""

    name: str
    aliases: tuple[str, ...]
    description: str
    handler: CommandHandler
    admin_only: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Return the name and every alias."""
        return (self.name, *self.aliases)


def start(incoming: Incoming, services: Services) -> Reply:
    """/start: greet and show example questions as buttons."""
    text = (
        "您好！我是楚雄州投资促进局工作助手。\n"
        "直接输入问题即可，例如“上半年州外到位资金增长多少”；"
        "把提案全文发给我，我会分析并起草答复。\n发送 /help 查看全部命令。"
    )
    return Reply(intent="help", answered=True, text=text, buttons=example_buttons())


def help_command(incoming: Incoming, services: Services) -> Reply:
    """/help: what the assistant can do, every command, example questions as buttons."""
    lines = ["我可以回答已收录文件中的问题，也可以分析提案。", "", "命令："]
    for entry in visible_commands(incoming.is_admin):
        aliases = "".join(f" /{a}" for a in entry.aliases)
        lines.append(f"/{entry.name}{aliases} — {entry.description}")
    lines += ["", "点击下面的示例问题试试："]
    return Reply(intent="help", answered=True, text="\n".join(lines), buttons=example_buttons())


def feedback_help(incoming: Incoming, services: Services) -> Reply:
    """/feedback: explain the 👍 / 👎 buttons."""
    return Reply(
        intent="help",
        answered=True,
        text="每条回答下方都有 👍 / 👎 按钮，点一下即可反馈，帮助我们改进。",
    )


COMMANDS: tuple[Command, ...] = (
    Command("start", (), "开始使用，查看示例问题", start),
    Command("help", (), "帮助：我能做什么", help_command),
    Command("zb", ("indicators",), "指标数据（/zb 名称 查询某项）", browse.indicators),
    Command("cs", ("measures",), "工作措施（/cs 关键词）", browse.measures),
    Command("jh", ("plans",), "下步计划（/jh 关键词）", browse.plans),
    Command("docs", (), "知识库中的文件（文号与标题）", browse.documents),
    Command("tian", ("proposals",), "提案办理（/tian 编号；/tian 导出 台账）", tian_reply),
    Command("chart", (), "指标对比图（/chart 名称：各地、各期）", admin.chart_reply),
    Command("feedback", (), "如何反馈回答质量", feedback_help),
    Command("stats", (), "使用统计（管理员）", admin.stats, admin_only=True),
)


def find_command(name: str) -> Command | None:
    """Return the command called `name` (or one of its aliases), case-insensitively."""
    wanted = name.lower().split("@", 1)[0]
    return next((c for c in COMMANDS if wanted in c.names), None)


def visible_commands(is_admin: bool) -> list[Command]:
    """Return the commands a user should see in /help."""
    return [c for c in COMMANDS if is_admin or not c.admin_only]


def menu(is_admin: bool = False) -> list[tuple[str, str]]:
    """Return (command, description) pairs for setMyCommands, in Chinese."""
    return [(c.name, c.description) for c in visible_commands(is_admin)]
