"""Proposal workflow reads and writes: session first, never commit (the caller frames the unit).

Statuses move 收到 → 办理中 → 已答复 → 已办结; 退回 is allowed only for a proposal triaged as
非本局业务 and within ten days of receipt. After 已答复 the proposer's satisfaction
(满意 / 基本满意 / 不满意, with a note) is recorded; 不满意 reopens handling (back to 办理中).
Every change adds a ProposalEvent (who, when, field, from, to). An invalid change raises a
ProposalError with one Chinese sentence and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Proposal, ProposalEvent, ReminderSent

RECEIVED, HANDLING, ANSWERED, CLOSED, RETURNED = "收到", "办理中", "已答复", "已办结", "退回"
STATUSES = (RECEIVED, HANDLING, ANSWERED, CLOSED, RETURNED)
OPEN_STATUSES = (RECEIVED, HANDLING)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RECEIVED: (HANDLING, RETURNED),
    HANDLING: (ANSWERED, RETURNED),
    ANSWERED: (CLOSED,),
    CLOSED: (),
    RETURNED: (),
}
OUTCOMES = {
    "A": "已解决或基本解决",
    "B": "正在解决或列入计划",
    "C": "因条件限制暂不能解决",
    "D": "留作参考",
}
SATISFIED, FAIRLY_SATISFIED, DISSATISFIED = "满意", "基本满意", "不满意"
SATISFACTION = (SATISFIED, FAIRLY_SATISFIED, DISSATISFIED)
OUT_OF_SCOPE_TOPIC = "非本局业务"
RETURN_WINDOW_DAYS = 10
DEFAULT_DUE_DAYS = 91


KINDS = ("提案", "建议", "议案")


@dataclass(frozen=True)
class ProposalFields:
    """What triage read about the proposal beyond title, number and proposer."""

    proposer_role: str | None = None
    cosigners: int | None = None
    sector: str | None = None
    session: str | None = None
    department: str | None = None


class ProposalError(ValueError):
    """A workflow request that cannot be done; the message is one Chinese sentence."""


class ProposalNotFound(ProposalError):
    """No proposal has that id."""


class InvalidTransition(ProposalError):
    """The status change is not allowed from the current status."""


class InvalidValue(ProposalError):
    """An unknown status or outcome class."""


def label(proposal: Proposal) -> str:
    """Name a proposal for messages: 第084号提案（ID 3）."""
    number = f"第{proposal.number}号" if proposal.number else ""
    return f"{number}{proposal.kind}（ID {proposal.id}）"


def _event(
    proposal: Proposal,
    field: str,
    old: str | None,
    new: str | None,
    actor: str,
    at: dt.datetime | None,
) -> ProposalEvent:
    event = ProposalEvent(field=field, old=old, new=new, actor=actor or "system")
    if at is not None:
        event.at = at
    proposal.events.append(event)
    return event


def add_proposal(
    session: Session,
    *,
    text: str,
    content_hash: str,
    title: str = "",
    number: str | None = None,
    kind: str = "提案",
    proposer: str | None = None,
    topic: str | None = None,
    triage: dict | None = None,
    received: dt.date,
    due_days: int = DEFAULT_DUE_DAYS,
    duplicate_of_id: int | None = None,
    actor: str = "system",
    meta: ProposalFields | None = None,
) -> Proposal:
    """Store a triaged proposal in status 收到, due `due_days` after receipt."""
    extra = meta or ProposalFields()
    proposal = Proposal(
        number=number,
        kind=kind if kind in KINDS else "提案",
        proposer_role=extra.proposer_role,
        cosigners=extra.cosigners,
        sector=extra.sector,
        session=extra.session,
        department=extra.department,
        title=title,
        proposer=proposer,
        text=text,
        content_hash=content_hash,
        topic=topic,
        triage=triage or {},
        received_date=received,
        due_date=received + dt.timedelta(days=due_days),
        status=RECEIVED,
        duplicate_of_id=duplicate_of_id,
    )
    session.add(proposal)
    _event(proposal, "status", None, RECEIVED, actor, None)
    session.flush()
    return proposal


def get_proposal(session: Session, proposal_id: int) -> Proposal:
    """Return one proposal or raise ProposalNotFound."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise ProposalNotFound(f"没有 ID 为 {proposal_id} 的提案。")
    return proposal


def find_by_hash(session: Session, content_hash: str) -> Proposal | None:
    """Return the earliest proposal stored with exactly this content hash."""
    return session.scalars(
        select(Proposal).where(Proposal.content_hash == content_hash).order_by(Proposal.id)
    ).first()


def recent_proposals(session: Session, limit: int = 500) -> Sequence[Proposal]:
    """Return the latest proposals (to look for similar ones), newest first."""
    return session.scalars(select(Proposal).order_by(Proposal.id.desc()).limit(limit)).all()


def list_open(session: Session) -> Sequence[Proposal]:
    """Return proposals still being handled (收到, 办理中), soonest due first."""
    return session.scalars(
        select(Proposal)
        .where(Proposal.status.in_(OPEN_STATUSES))
        .order_by(Proposal.due_date, Proposal.id)
    ).all()


def list_all(session: Session) -> Sequence[Proposal]:
    """Return every proposal, soonest due first."""
    return session.scalars(select(Proposal).order_by(Proposal.due_date, Proposal.id)).all()


def ledger_rows(session: Session) -> Sequence[Proposal]:
    """Return every proposal in the order the 台账 lists them: as received."""
    return session.scalars(select(Proposal).order_by(Proposal.received_date, Proposal.id)).all()


def allowed_next(proposal: Proposal) -> tuple[str, ...]:
    """Return the statuses this proposal may move to now (before the 退回 checks)."""
    return TRANSITIONS.get(proposal.status, ())


def check_status_change(proposal: Proposal, status: str, today: dt.date) -> None:
    """Raise a ProposalError when moving to `status` is not allowed today."""
    if status not in STATUSES:
        raise InvalidValue(f"没有“{status}”这个状态；可用的状态：{'、'.join(STATUSES)}。")
    if status == proposal.status:
        raise InvalidTransition(f"{label(proposal)}已经是“{status}”，无需更改。")
    nexts = allowed_next(proposal)
    if status not in nexts:
        hint = f"下一步可改为：{'、'.join(nexts)}" if nexts else "该提案已结束办理"
        raise InvalidTransition(
            f"{label(proposal)}当前为“{proposal.status}”，不能改为“{status}”；{hint}。"
        )
    if status == RETURNED:
        _check_return(proposal, today)


def _check_return(proposal: Proposal, today: dt.date) -> None:
    if proposal.topic != OUT_OF_SCOPE_TOPIC:
        raise InvalidTransition(
            f"只有判为“{OUT_OF_SCOPE_TOPIC}”的提案才能退回，{label(proposal)}的主题是"
            f"“{proposal.topic or '未分类'}”。"
        )
    days = (today - proposal.received_date).days
    if days > RETURN_WINDOW_DAYS:
        raise InvalidTransition(
            f"退回须在收到后{RETURN_WINDOW_DAYS}日内提出；{label(proposal)}收到于"
            f"{proposal.received_date.isoformat()}，已过{days}天。"
        )


def set_status(
    session: Session,
    proposal_id: int,
    status: str,
    *,
    actor: str,
    today: dt.date,
    at: dt.datetime | None = None,
) -> Proposal:
    """Move a proposal to `status` after checking the workflow, recording who and when."""
    proposal = get_proposal(session, proposal_id)
    status = status.strip()
    check_status_change(proposal, status, today)
    _event(proposal, "status", proposal.status, status, actor, at)
    proposal.status = status
    if status == ANSWERED:
        proposal.answered_date = today
    session.flush()
    return proposal


def set_assignee(
    session: Session,
    proposal_id: int,
    assignee: str,
    *,
    actor: str,
    at: dt.datetime | None = None,
) -> Proposal:
    """Give the proposal to a member of staff (recorded as an event)."""
    proposal = get_proposal(session, proposal_id)
    assignee = assignee.strip()
    if not assignee:
        raise InvalidValue("承办人不能为空。")
    if assignee != proposal.assignee:
        _event(proposal, "assignee", proposal.assignee, assignee, actor, at)
        proposal.assignee = assignee
        session.flush()
    return proposal


def set_outcome(
    session: Session,
    proposal_id: int,
    outcome: str,
    *,
    actor: str,
    at: dt.datetime | None = None,
) -> Proposal:
    """Record the reply's outcome class A/B/C/D (not for returned proposals)."""
    proposal = get_proposal(session, proposal_id)
    outcome = outcome.strip().upper()
    if outcome not in OUTCOMES:
        choices = "；".join(f"{k} {v}" for k, v in OUTCOMES.items())
        raise InvalidValue(f"办理结果分类应为 A/B/C/D（{choices}）。")
    if proposal.status == RETURNED:
        raise InvalidTransition(f"{label(proposal)}已退回，不能登记办理结果。")
    if outcome != proposal.outcome:
        _event(proposal, "outcome", proposal.outcome, outcome, actor, at)
        proposal.outcome = outcome
        session.flush()
    return proposal


def set_satisfaction(
    session: Session,
    proposal_id: int,
    level: str,
    *,
    note: str = "",
    actor: str,
    at: dt.datetime | None = None,
) -> Proposal:
    """Record the proposer's feedback on the reply; 不满意 sends it back to 办理中.

    Feedback answers a reply, so it is taken only while the proposal is 已答复; after a
    reopening, the next reply is asked about again.
    """
    proposal = get_proposal(session, proposal_id)
    level = level.strip()
    if level not in SATISFACTION:
        raise InvalidValue(f"满意度应为：{'、'.join(SATISFACTION)}。")
    if proposal.status != ANSWERED:
        raise InvalidTransition(
            f"{label(proposal)}当前为“{proposal.status}”；满意度在答复后（已答复）登记。"
        )
    note = " ".join(note.split())
    shown = f"{level}：{note}" if note else level
    previous = proposal.satisfaction
    _event(proposal, "satisfaction", previous, shown, actor, at)
    proposal.satisfaction = level
    proposal.satisfaction_note = note or None
    if level == DISSATISFIED:
        _event(proposal, "status", proposal.status, HANDLING, actor, at)
        proposal.status = HANDLING
    session.flush()
    return proposal


# --- reminders ------------------------------------------------------------------------------


def sent_reminders(session: Session) -> set[tuple[int, str, dt.date]]:
    """Return (proposal id, kind, for date) of every reminder already sent."""
    rows = session.execute(
        select(ReminderSent.proposal_id, ReminderSent.kind, ReminderSent.for_date)
    ).all()
    return {(r[0], r[1], r[2]) for r in rows}


def claim_reminder(session: Session, proposal_id: int, kind: str, for_date: dt.date) -> bool:
    """Record a reminder as sent; False when it already was (the unique key decides)."""
    try:
        with session.begin_nested():
            session.add(ReminderSent(proposal_id=proposal_id, kind=kind, for_date=for_date))
    except IntegrityError:
        return False
    return True


def release_reminder(session: Session, proposal_id: int, kind: str, for_date: dt.date) -> None:
    """Forget a claimed reminder whose delivery failed, so it is tried again."""
    session.execute(
        delete(ReminderSent).where(
            ReminderSent.proposal_id == proposal_id,
            ReminderSent.kind == kind,
            ReminderSent.for_date == for_date,
        )
    )
