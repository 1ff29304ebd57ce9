"""Admin-only work: /stats, /chart data, and ingesting an uploaded document."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot import chart, kb_watch
from bot.incoming import Incoming
from bot.proposal_service import refresh_triager
from bot.questions import triage
from db import bot_records, dead_letters, queries
from knowledge.errors import IngestError
from knowledge.ingest import ingest_path
from knowledge.loaders import load_path
from nlp.reply import Attachment, Reply

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)
UPLOAD_SUFFIXES = (".txt", ".docx", ".pdf")
MAX_BARS = 12


def stats(incoming: Incoming, services: Services) -> Reply:
    """/stats: questions per day, intents, declines and feedback over the last 30 days."""
    if not incoming.is_admin:
        return Reply(intent="help", text="该功能仅限管理员使用。")
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=30)
    with services.sessions() as session:
        figures = bot_records.usage_stats(session, since)
        set_aside = dead_letters.count(session)
    lines = [f"近30天共{figures.total}个问题，未能回答{figures.declined}个。"]
    if set_aside:
        lines.append(f"无法处理而搁置的更新：{set_aside}条")
    if figures.median_latency_ms is not None:
        lines.append(f"响应时间中位数：{figures.median_latency_ms:.0f}毫秒")
    lines.append(f"反馈：👍 {figures.thumbs_up}  👎 {figures.thumbs_down}")
    if figures.intents:
        lines.append("按意图：" + "，".join(f"{k} {n}" for k, n in figures.intents))
    if figures.per_day:
        lines.append("按日：")
        lines += [f"{day}：{n}" for day, n in figures.per_day[-14:]]
    return Reply(intent="help", answered=True, text="\n".join(lines))


def chart_reply(incoming: Incoming, services: Services) -> Reply:
    """/chart NAME: the figure across places or periods (the comparison table) as a PNG.

    A bare /chart draws the indicators that have a target in their own unit against it.
    """
    name = incoming.arg_text.strip()
    if not name:
        return _targets_chart(services)
    if services.assistant is None:
        return Reply(intent="indicator", text="知识库尚未加载，暂时无法作图。")
    table = services.assistant.compare(name)
    bars = chart.bars_from_facts(table.facts)
    if not table.answered or not bars:
        return table
    title = f"{table.facts[0].name}（{bars[0].unit}）"
    png = chart.render_png(bars, title)
    text = table.text
    if chart.cjk_font() is None:
        text += "\n" + chart.caption(bars, title)
    photo = Attachment(filename="chart.png", kind="photo", data=png, caption=text[:1000])
    return Reply(
        intent="indicator", answered=True, text=text, attachments=[photo],
        facts=table.facts, citations=table.citations,
    )


def _targets_chart(services: Services) -> Reply:
    """Indicators against their targets, in one unit (a gap in 个百分点 has no % target)."""
    with services.sessions() as session:
        rows = [
            (i.document_id, chart.Bar(i.name, i.value, target, i.unit))
            for i in queries.current_indicators(session)
            if (target := chart.same_unit_target(i.unit, i.target)) is not None
        ]
    # The newest document's figures only: one name from two reports would be two equal bars.
    bars = chart.one_unit([bar for doc, bar in rows if doc == rows[0][0]] if rows else [])
    bars = bars[:MAX_BARS]
    if not bars:
        return Reply(
            intent="indicator",
            text="知识库中暂无带同单位目标值的指标。可发送“/chart 指标名称”查看各地、各期对比图。",
        )
    title = f"指标与目标对比（{bars[0].unit}）"
    png = chart.render_png(bars, title)
    text = chart.caption(bars, title)
    photo = Attachment(filename="chart.png", kind="photo", data=png, caption=text[:1000])
    return Reply(intent="indicator", answered=True, text=text, attachments=[photo])


def safe_upload_name(name: str | None) -> str:
    """Return a file name without folders or odd characters (no path traversal)."""
    base = Path((name or "upload").replace("\\", "/")).name
    base = re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", base).lstrip(".") or "upload"
    return base[-120:]


def upload_check(incoming: Incoming, name: str | None, size: int | None, limit: int) -> str | None:
    """Return why an upload is refused before downloading it, or None when it may proceed."""
    if not incoming.is_admin:
        return "仅管理员可以上传文件。"
    if Path(safe_upload_name(name)).suffix.lower() not in UPLOAD_SUFFIXES:
        return "仅支持 .txt、.docx、.pdf 文件。"
    if size is not None and size > limit:
        return f"文件过大（{size / 1048576:.1f} MB），上限为 {limit / 1048576:.0f} MB。"
    return None


def ingest_upload(incoming: Incoming, services: Services, path: Path) -> Reply:
    """Ingest a downloaded upload; reply with what was extracted or one clear error."""
    if not incoming.is_admin:
        return Reply(intent="help", text="仅管理员可以上传文件。")
    try:
        result = ingest_path(services.sessions, path, max_bytes=services.settings.max_upload_bytes)
    except IngestError as exc:
        logger.info("upload %s refused: %s", path.name, exc)
        return Reply(intent="document", text=f"导入失败：{exc}")
    # A reload refits the triager itself; without an assistant only the triager moves.
    changed = result.status != "unchanged"
    if changed and not kb_watch.reload_if_changed(services, unknown_is_stale=True):
        refresh_triager(services)
    return Reply(intent="document", answered=True, text=result.summary())


def handle_upload(incoming: Incoming, services: Services, path: Path) -> Reply:
    """Route a downloaded upload: captioned 提案/建议 -> triage, otherwise ingestion."""
    if not incoming.is_admin:
        return Reply(intent="help", text="仅管理员可以上传文件。")
    if re.search(r"提案|建议|/tian", incoming.text):
        try:
            loaded = load_path(path, max_bytes=services.settings.max_upload_bytes)
        except IngestError as exc:
            return Reply(intent="triage", text=f"读取失败：{exc}")
        return triage(incoming.model_copy(update={"text": loaded.text}), services)
    return ingest_upload(incoming, services, path)
