"""Transport-neutral proposal handlers: each takes an incoming request and returns a Reply.

- `triage_reply`: a pasted or uploaded proposal -> summary, stored record, .docx draft;
- `tian_reply`: /tian lists open proposals by due date, /tian ID shows one;
- `proposal_callback`: the buttons of /tian ID (status changes are for admins only, checked
  here on the server side, whatever a client sends).
Callback data is short ("tian:s:12:1" = set proposal 12 to status #1), well under 64 bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session

from bot import proposal_service as service
from bot.proposal_ledger import ledger_filename, ledger_xlsx
from db import proposals as store
from db.models import Proposal
from nlp.compose import hedged
from nlp.draft_docx import render_docx
from nlp.reply import Attachment, Button, Citation, Reply
from nlp.triage import TriageError, TriageResult
from nlp.triage_meta import proposer_label
from scope.labels import number_label

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)
CALLBACK_PREFIX = "tian:"
KIND_LABELS = {"measure": "措施", "action": "计划"}
MAX_LISTED = 30
USAGE = (
    "用法：/tian 查看待办提案；/tian ID 查看一件；/tian ID 承办 姓名 指定承办人（管理员）；"
    "/tian ID 满意度 满意|基本满意|不满意 [意见] 登记提出人反馈（管理员）；"
    "/tian 导出 下载提案办理台账（管理员）。"
)
SATISFACTION_WORDS = ("满意度", "反馈", "评价")
EXPORT_WORDS = ("导出", "台账", "export")
STALE = "按钮已失效，请重新发送 /tian。"
ADMIN_ONLY = "只有管理员可以更改提案状态。"
# Outcome classes make sense once the bureau is working on (or has answered) the proposal.
OUTCOME_STATUSES = (store.HANDLING, store.ANSWERED, store.CLOSED)


class IncomingLike(Protocol):
    """What these handlers read from a request (bot.incoming.Incoming has these fields)."""

    user_id: int | None
    text: str
    args: list[str]


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _is_admin(incoming: IncomingLike, services: Services) -> bool:
    """Decide on the server: a Telegram user by the configured ids; the local console as set.

    `source` and `is_admin` are filled by our own adapters, never by what a client sends.
    """
    if services.settings.is_admin(incoming.user_id):
        return True
    return getattr(incoming, "source", "") == "console" and bool(getattr(incoming, "is_admin", 0))


def _actor(incoming: IncomingLike) -> str:
    return f"tg:{incoming.user_id}" if incoming.user_id is not None else "console"


def is_proposal_callback(data: str | None) -> bool:
    """Tell whether callback data belongs to these handlers."""
    return bool(data) and str(data).startswith(CALLBACK_PREFIX)


def status_button(proposal_id: int, status: str) -> Button:
    """Return the button that moves a proposal to `status`."""
    index = store.STATUSES.index(status)
    return Button(label=f"改为「{status}」", data=f"{CALLBACK_PREFIX}s:{proposal_id}:{index}")


def show_button(proposal_id: int) -> Button:
    """Return the button that shows one proposal."""
    return Button(label=f"查看 ID {proposal_id}", data=f"{CALLBACK_PREFIX}v:{proposal_id}")


def outcome_button(proposal_id: int, outcome: str) -> Button:
    """Return the button that records the reply's outcome class."""
    return Button(label=f"{outcome}类", data=f"{CALLBACK_PREFIX}o:{proposal_id}:{outcome}")


def feedback_button(proposal_id: int, level: str) -> Button:
    """Return the button that records the proposer's satisfaction with the reply."""
    index = store.SATISFACTION.index(level)
    return Button(label=f"反馈：{level}", data=f"{CALLBACK_PREFIX}f:{proposal_id}:{index}")


def draft_button(proposal_id: int) -> Button:
    """Return the button that shows the stored draft reply as text."""
    return Button(label="答复草稿", data=f"{CALLBACK_PREFIX}d:{proposal_id}")


# --- triage -----------------------------------------------------------------------------------


def triage_reply(
    incoming: IncomingLike, services: Services, *, today: dt.date | None = None
) -> Reply:
    """Triage a pasted proposal, store it, and reply with a summary and a .docx draft."""
    try:
        triaged = service.triage_and_store(
            services, incoming.text, actor=_actor(incoming), today=_today(today)
        )
    except TriageError as exc:
        return Reply(intent="triage", answered=False, text=str(exc))
    result = triaged.result
    citations = [
        Citation(document=r.document, section=r.section, quote=r.title) for r in result.related
    ]
    buttons = []
    if triaged.proposal_id is not None:
        buttons = [[show_button(triaged.proposal_id), draft_button(triaged.proposal_id)]]
    name = f"答复草稿_{result.number or triaged.proposal_id or 'new'}.docx"
    docx = render_docx(triaged.draft)
    return Reply(
        intent="triage",
        confidence=1.0,
        answered=True,
        text=triage_summary(triaged),
        citations=citations,
        buttons=buttons,
        attachments=[Attachment(filename=name, data=docx, caption="答复草稿（待审核）")],
        related=[f"{r.section} {r.title}" for r in result.related[:5]],
    )


def stored_proposer(p: Proposal) -> str:
    """Who proposes, as stored (未注明 when nobody is named)."""
    return proposer_label(p.proposer, p.proposer_role, p.cosigners, p.sector) or "未注明"


def proposer_line(r: TriageResult) -> str:
    """Who proposes, as triage read it."""
    names = "、".join(r.proposers) or r.proposer
    cosigners = r.cosigners if len(r.proposers) <= 1 else None
    return proposer_label(names, r.proposer_role, cosigners, r.sector)


def triage_summary(triaged: service.Triaged) -> str:
    """Return the phone-sized summary of a triage result."""
    r = triaged.result
    head = [f"提案分析：《{r.title}》" if r.title else "提案分析"]
    meta = [
        f"编号 第{r.number}号" if r.number else "",
        f"提出人 {proposer_line(r)}" if r.proposer or r.sector else "",
    ]
    meta_line = "　".join(m for m in [r.kind, *meta] if m)
    lines = [*head, meta_line]
    if r.session:
        lines.append(f"届次：{r.session}")
    lines.append(f"主题：{r.topic}")
    if not r.in_scope:
        if r.scope_reason:
            lines.append(f"理由：{r.scope_reason}")
        if r.department:
            lines.append(f"建议承办单位：{r.department}")
        lines.append("不属于我局业务范围，未匹配工作内容；可在收到后十日内申请退回。")
    if r.asks:
        lines.append("主要诉求：")
        lines += [f"{i}. {a}" for i, a in enumerate(r.asks[:5], 1)]
    if r.keywords:
        lines.append("关键词：" + "、".join(r.keywords[:8]))
    if r.related:
        lines.append("相关工作：")
        lines += [
            f"• [{KIND_LABELS.get(x.kind, x.kind)} {x.section}] {x.title}（{x.score:.2f}）"
            for x in r.related[:6]
        ]
    if r.indicators:
        lines.append("相关指标：")
        lines += [
            f"• {i.name} {hedged(number_label(i.value), i.unit, i.quote or '')}（{i.section}）"
            for i in r.indicators[:4]
        ]
    lines += _similar_lines(triaged)
    return "\n".join(lines)


def _similar_lines(triaged: service.Triaged) -> list[str]:
    r = triaged.result
    lines = []
    for s in r.similar[:3]:
        if s.id == triaged.proposal_id and triaged.created:
            continue
        flag = "重复" if s.duplicate else "相似"
        lines.append(f"⚠ 与已登记的 ID {s.id}《{s.title[:30]}》{flag}（相似度 {s.score:.2f}）")
    if triaged.proposal_id is not None and triaged.created:
        due = triaged.due_date.isoformat() if triaged.due_date else "-"
        lines.append(f"已登记：ID {triaged.proposal_id}，状态 收到，办理期限 {due}。")
    elif triaged.proposal_id is not None:
        lines.append(f"该提案已登记过（ID {triaged.proposal_id}），未重复登记。")
    lines.append("答复草稿见附件，每句均注明出处，请审核后使用。")
    return lines


# --- /tian ------------------------------------------------------------------------------------


def tian_reply(
    incoming: IncomingLike, services: Services, *, today: dt.date | None = None
) -> Reply:
    """/tian: open proposals by due date; /tian ID: one proposal with its buttons."""
    args = [a for a in (incoming.args or []) if a.strip()]
    if args and args[0].strip() in EXPORT_WORDS:
        return export_reply(incoming, services, today=today)
    if args:
        ref = args[0].strip().lstrip("#")
        if not ref.isdigit():
            return Reply(intent="proposal", text=USAGE)
        if len(args) >= 3 and args[1] in ("承办", "承办人", "assign"):
            return _assign(incoming, services, int(ref), " ".join(args[2:]), today)
        if len(args) >= 3 and args[1] in SATISFACTION_WORDS:
            note = " ".join(args[3:])
            return _feedback(incoming, services, int(ref), args[2], note, today)
        if len(args) >= 2:
            return Reply(intent="proposal", text=USAGE)
        return show_reply(incoming, services, int(ref), today=today)
    return list_reply(services, today=today)


def export_reply(
    incoming: IncomingLike, services: Services, *, today: dt.date | None = None
) -> Reply:
    """/tian 导出: the 台账 as an .xlsx document, for admins only."""
    if not _is_admin(incoming, services):
        return Reply(intent="proposal", text="只有管理员可以导出提案办理台账。")
    day = _today(today)
    with services.sessions() as session:
        rows = store.ledger_rows(session)
        data = ledger_xlsx(rows, today=day)
        count = len(rows)
    return Reply(
        intent="proposal",
        answered=True,
        text=f"提案办理台账：共 {count} 件，见附件。",
        attachments=[Attachment(filename=ledger_filename(day), data=data, caption="提案办理台账")],
    )


def _due_note(proposal: Proposal, today: dt.date) -> str:
    days = (proposal.due_date - today).days
    if days < 0:
        return f"已逾期{-days}天"
    return "今日到期" if days == 0 else f"剩{days}天"


def list_reply(services: Services, *, today: dt.date | None = None) -> Reply:
    """List open proposals, soonest due first, each with a button to open it."""
    day = _today(today)
    with services.sessions() as session:
        rows = list(store.list_open(session))[:MAX_LISTED]
        if not rows:
            return Reply(intent="proposal", answered=True, text="目前没有待办理的提案。")
        lines = [f"待办理提案 {len(rows)} 件（按办理期限排序）："]
        for p in rows:
            lines.append(
                f"ID {p.id}　{_short_label(p)}《{_clip(p.title, 30)}》　{p.status}　"
                f"期限 {p.due_date.isoformat()}（{_due_note(p, day)}）"
            )
        buttons = [[show_button(p.id)] for p in rows[:10]]
    return Reply(intent="proposal", answered=True, text="\n".join(lines), buttons=buttons)


def show_reply(
    incoming: IncomingLike,
    services: Services,
    proposal_id: int,
    *,
    today: dt.date | None = None,
    notice: str = "",
) -> Reply:
    """Show one proposal; admins get buttons for the statuses it may move to."""
    day = _today(today)
    with services.sessions() as session:
        try:
            p = store.get_proposal(session, proposal_id)
        except store.ProposalError as exc:
            return Reply(intent="proposal", text=str(exc))
        text = _details(p, day)
        buttons = []
        if _is_admin(incoming, services):
            nexts = [s for s in store.allowed_next(p) if _may(p, s, day)]
            buttons = [[status_button(p.id, s) for s in nexts]] if nexts else []
            if p.status in OUTCOME_STATUSES:
                buttons.append([outcome_button(p.id, o) for o in store.OUTCOMES])
            if p.status == store.ANSWERED:
                buttons.append([feedback_button(p.id, level) for level in store.SATISFACTION])
        buttons.append([draft_button(p.id)])
    return Reply(
        intent="proposal",
        answered=True,
        text=f"{notice}\n{text}" if notice else text,
        buttons=buttons,
    )


def _short_label(p: Proposal) -> str:
    return f"{p.kind}第{p.number}号" if p.number else p.kind


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _may(proposal: Proposal, status: str, today: dt.date) -> bool:
    try:
        store.check_status_change(proposal, status, today)
    except store.ProposalError:
        return False
    return True


def _details(p: Proposal, today: dt.date) -> str:
    lines = [
        f"{store.label(p)}《{p.title}》",
        f"提出人：{stored_proposer(p)}　主题：{p.topic or '未分类'}",
        f"状态：{p.status}　承办人：{p.assignee or '未指定'}",
        f"收到：{p.received_date.isoformat()}　期限：{p.due_date.isoformat()}"
        f"（{_due_note(p, today)}）",
    ]
    if p.session:
        lines.append(f"届次：{p.session}")
    if p.answered_date:
        lines.append(f"答复日期：{p.answered_date.isoformat()}")
    if p.satisfaction:
        note = f"（{p.satisfaction_note}）" if p.satisfaction_note else ""
        lines.append(f"满意度：{p.satisfaction}{note}")
    if p.outcome:
        lines.append(f"办理结果：{p.outcome} 类（{store.OUTCOMES.get(p.outcome, '')}）")
    if p.duplicate_of_id:
        lines.append(f"⚠ 与 ID {p.duplicate_of_id} 内容重复或高度相似")
    asks = (p.triage or {}).get("asks") or []
    if asks:
        lines.append("主要诉求：" + "；".join(asks[:3]))
    lines.append("办理记录：")
    for e in p.events[-6:]:
        lines.append(f"• {e.at:%Y-%m-%d %H:%M} {e.actor} {e.field}：{e.old or '—'} → {e.new}")
    return "\n".join(lines)


# --- buttons ----------------------------------------------------------------------------------


def proposal_callback(
    incoming: IncomingLike, services: Services, data: str, *, today: dt.date | None = None
) -> Reply:
    """Handle a /tian button; status changes are refused for non-admins."""
    parts = data.removeprefix(CALLBACK_PREFIX).split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return Reply(intent="proposal", text=STALE)
    action, proposal_id = parts[0], int(parts[1])
    if action == "v":
        return show_reply(incoming, services, proposal_id, today=today)
    if action == "d":
        return draft_reply(services, proposal_id)
    if action == "s" and len(parts) == 3 and parts[2].isdigit():
        return _change_status(incoming, services, proposal_id, int(parts[2]), today)
    if action == "f" and len(parts) == 3 and parts[2].isdigit():
        index = int(parts[2])
        if index >= len(store.SATISFACTION):
            return Reply(intent="proposal", text=STALE)
        level = store.SATISFACTION[index]
        return _feedback(incoming, services, proposal_id, level, "", today)
    if action == "o" and len(parts) == 3 and parts[2] in store.OUTCOMES:
        return _change_outcome(incoming, services, proposal_id, parts[2], today)
    return Reply(intent="proposal", text=STALE)


def _admin_change(
    incoming: IncomingLike,
    services: Services,
    proposal_id: int,
    change: Callable[[Session, str], str],
    today: dt.date | None,
) -> Reply:
    """Run one workflow change for an admin in its own transaction, then show the proposal."""
    if not _is_admin(incoming, services):
        logger.warning("non-admin %s tried to change proposal %s", incoming.user_id, proposal_id)
        return Reply(intent="proposal", text=ADMIN_ONLY)
    try:
        with services.sessions.begin() as session:
            notice = change(session, _actor(incoming))
    except store.ProposalError as exc:
        return Reply(intent="proposal", text=str(exc))
    return show_reply(incoming, services, proposal_id, today=today, notice=notice)


def _change_status(
    incoming: IncomingLike, services: Services, proposal_id: int, index: int, day: dt.date | None
) -> Reply:
    if not 0 <= index < len(store.STATUSES):
        return Reply(intent="proposal", text=STALE)
    status = store.STATUSES[index]

    def change(session: Session, actor: str) -> str:
        store.set_status(session, proposal_id, status, actor=actor, today=_today(day))
        return f"已改为「{status}」。"

    return _admin_change(incoming, services, proposal_id, change, day)


def _change_outcome(
    incoming: IncomingLike, services: Services, proposal_id: int, outcome: str, day: dt.date | None
) -> Reply:
    def change(session: Session, actor: str) -> str:
        p = store.set_outcome(session, proposal_id, outcome, actor=actor)
        return f"办理结果已登记为 {p.outcome} 类（{store.OUTCOMES[p.outcome or '']}）。"

    return _admin_change(incoming, services, proposal_id, change, day)


def _assign(
    incoming: IncomingLike, services: Services, proposal_id: int, name: str, day: dt.date | None
) -> Reply:
    def change(session: Session, actor: str) -> str:
        p = store.set_assignee(session, proposal_id, name, actor=actor)
        return f"承办人已设为 {p.assignee}。"

    return _admin_change(incoming, services, proposal_id, change, day)


def _feedback(
    incoming: IncomingLike,
    services: Services,
    proposal_id: int,
    level: str,
    note: str,
    day: dt.date | None,
) -> Reply:
    def change(session: Session, actor: str) -> str:
        p = store.set_satisfaction(session, proposal_id, level, note=note, actor=actor)
        if p.satisfaction == store.DISSATISFIED:
            return "已登记“不满意”，提案重新进入办理（办理中），请再次答复。"
        return f"已登记满意度：{p.satisfaction}。"

    return _admin_change(incoming, services, proposal_id, change, day)


def draft_reply(services: Services, proposal_id: int) -> Reply:
    """Show the stored draft reply of a proposal as text."""
    with services.sessions() as session:
        try:
            p = store.get_proposal(session, proposal_id)
        except store.ProposalError as exc:
            return Reply(intent="proposal", text=str(exc))
        draft = (p.triage or {}).get("draft") or "该提案没有保存答复草稿。"
    return Reply(intent="proposal", answered=True, text=draft)
