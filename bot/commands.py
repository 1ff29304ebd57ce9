"""The one table of commands: it drives handler registration, /help and setMyCommands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import admin, browse, handlers
from bot.incoming import Incoming
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


COMMANDS: tuple[Command, ...] = (
    Command("start", (), "开始使用，查看示例问题", handlers.start),
    Command("help", (), "帮助：我能做什么", handlers.help_command),
    Command("zb", ("indicators",), "指标数据（/zb 名称 查询某项）", browse.indicators),
    Command("cs", ("measures",), "工作措施（/cs 关键词）", browse.measures),
    Command("jh", ("plans",), "下步计划（/jh 关键词）", browse.plans),
    Command("docs", (), "知识库中的文件（文号与标题）", browse.documents),
    Command("tian", ("proposals",), "提案办理（/tian 编号 查看一件）", handlers.tian),
    Command("chart", (), "指标对比图（/chart 名称：各地、各期）", admin.chart_reply),
    Command("feedback", (), "如何反馈回答质量", handlers.feedback_help),
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
