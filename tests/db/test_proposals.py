"""Proposal workflow in the database: statuses, history, 退回 rules, outcomes, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db import proposals as store
from db.models import Proposal, ProposalEvent, ReminderSent

RECEIVED = dt.date(2021, 3, 1)


def _add(session, *, topic: str = "项目落地", text: str = "建议加快项目落地。", **kw) -> int:
    proposal = store.add_proposal(
        session,
        text=text,
        content_hash=f"h-{text}",
        title="关于加快项目落地的提案",
        number=kw.pop("number", "084"),
        topic=topic,
        received=kw.pop("received", RECEIVED),
        actor="tester",
        **kw,
    )
    return proposal.id


def _history(sessions, pid: int) -> list[tuple[str, str | None, str | None, str]]:
    with sessions() as session:
        events = session.scalars(
            select(ProposalEvent)
            .where(ProposalEvent.proposal_id == pid)
            .order_by(ProposalEvent.id)
        ).all()
        return [(e.field, e.old, e.new, e.actor) for e in events]


def test_new_proposal_is_received_and_due_in_three_months(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
    with sessions() as session:
        p = store.get_proposal(session, pid)
        assert p.status == "收到"
        assert p.due_date == RECEIVED + dt.timedelta(days=91)
    assert _history(sessions, pid) == [("status", None, "收到", "tester")]


def test_due_days_are_configurable(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session, due_days=30)
    with sessions() as session:
        assert store.get_proposal(session, pid).due_date == dt.date(2021, 3, 31)


def test_the_whole_path_is_recorded(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
    for status, who in (("办理中", "张三"), ("已答复", "李四"), ("已办结", "张三")):
        with sessions.begin() as session:
            store.set_status(session, pid, status, actor=who, today=RECEIVED)
    assert [(f, o, n) for f, o, n, _a in _history(sessions, pid)] == [
        ("status", None, "收到"),
        ("status", "收到", "办理中"),
        ("status", "办理中", "已答复"),
        ("status", "已答复", "已办结"),
    ]
    assert _history(sessions, pid)[2][3] == "李四"


def test_skipping_a_step_is_refused_and_changes_nothing(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
    with (
        pytest.raises(
            store.InvalidTransition, match="不能改为“已办结”；下一步可改为：办理中、退回"
        ),
        sessions.begin() as session,
    ):
        store.set_status(session, pid, "已办结", actor="x", today=RECEIVED)
    with sessions() as session:
        assert store.get_proposal(session, pid).status == "收到"
    assert len(_history(sessions, pid)) == 1


def test_unknown_status_and_same_status(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
    with (
        sessions.begin() as session,
        pytest.raises(store.InvalidValue, match="没有“完成”这个状态"),
    ):
        store.set_status(session, pid, "完成", actor="x", today=RECEIVED)
    with sessions.begin() as session, pytest.raises(store.InvalidTransition, match="无需更改"):
        store.set_status(session, pid, "收到", actor="x", today=RECEIVED)


def test_return_only_for_out_of_scope_within_ten_days(sessions) -> None:
    with sessions.begin() as session:
        ours = _add(session, text="a")
        other = _add(session, text="b", topic="非本局业务")
        late = _add(session, text="c", topic="非本局业务")
    with sessions.begin() as session, pytest.raises(store.InvalidTransition, match="才能退回"):
        store.set_status(session, ours, "退回", actor="x", today=RECEIVED)
    with sessions.begin() as session, pytest.raises(store.InvalidTransition, match="已过11天"):
        store.set_status(session, late, "退回", actor="x", today=RECEIVED + dt.timedelta(11))
    with sessions.begin() as session:
        store.set_status(session, other, "退回", actor="x", today=RECEIVED + dt.timedelta(10))
    with sessions() as session:
        assert store.get_proposal(session, other).status == "退回"
        assert store.get_proposal(session, late).status == "收到"
        assert [p.id for p in store.list_open(session)] == [ours, late]


def test_missing_proposal(sessions) -> None:
    with sessions() as session, pytest.raises(store.ProposalNotFound, match="没有 ID 为 99"):
        store.set_status(session, 99, "办理中", actor="x", today=RECEIVED)


def test_outcome_and_assignee_are_recorded(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
        store.set_assignee(session, pid, "王五", actor="局长")
        store.set_outcome(session, pid, "b", actor="局长")
    with sessions.begin() as session, pytest.raises(store.InvalidValue, match="A/B/C/D"):
        store.set_outcome(session, pid, "E", actor="局长")
    with sessions() as session:
        p = store.get_proposal(session, pid)
        assert (p.assignee, p.outcome) == ("王五", "B")
    assert [(f, n) for f, _o, n, _a in _history(sessions, pid)][1:] == [
        ("assignee", "王五"),
        ("outcome", "B"),
    ]


def test_open_proposals_are_listed_soonest_due_first(sessions) -> None:
    with sessions.begin() as session:
        late = _add(session, text="x", received=dt.date(2021, 5, 1))
        early = _add(session, text="y", received=dt.date(2021, 2, 1))
    with sessions() as session:
        assert [p.id for p in store.list_open(session)] == [early, late]


def test_find_by_hash(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session, text="同一文本")
    with sessions() as session:
        assert store.find_by_hash(session, "h-同一文本").id == pid
        assert store.find_by_hash(session, "h-别的") is None


def test_a_reminder_is_claimed_once(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
    due = RECEIVED + dt.timedelta(91)
    with sessions.begin() as session:
        assert store.claim_reminder(session, pid, "overdue", due)
    with sessions.begin() as session:
        assert not store.claim_reminder(session, pid, "overdue", due)
        assert store.claim_reminder(session, pid, "before_due", due)
    with sessions.begin() as session:
        store.release_reminder(session, pid, "overdue", due)
    with sessions() as session:
        assert store.sent_reminders(session) == {(pid, "before_due", due)}
        assert session.scalar(select(func.count()).select_from(ReminderSent)) == 1
        assert session.scalar(select(func.count()).select_from(Proposal)) == 1


def _answered(sessions) -> int:
    with sessions.begin() as session:
        pid = _add(session, text=f"建议{RECEIVED}优化服务。")
        store.set_status(session, pid, "办理中", actor="张三", today=RECEIVED)
        store.set_status(session, pid, "已答复", actor="张三", today=dt.date(2021, 4, 6))
    return pid


def test_satisfaction_after_the_reply_is_recorded_with_its_note(sessions) -> None:
    pid = _answered(sessions)
    with sessions.begin() as session:
        store.set_satisfaction(session, pid, "基本满意", note=" 希望  加快进度 ", actor="李四")
    with sessions() as session:
        p = store.get_proposal(session, pid)
        assert (p.status, p.satisfaction, p.satisfaction_note) == (
            "已答复",
            "基本满意",
            "希望 加快进度",
        )
        assert p.answered_date == dt.date(2021, 4, 6)
    assert _history(sessions, pid)[-1] == ("satisfaction", None, "基本满意：希望 加快进度", "李四")


def test_dissatisfied_reopens_handling_and_the_next_reply_is_asked_again(sessions) -> None:
    pid = _answered(sessions)
    with sessions.begin() as session:
        store.set_satisfaction(session, pid, "不满意", note="未回应用地问题", actor="李四")
    with sessions() as session:
        assert store.get_proposal(session, pid).status == "办理中"
    assert _history(sessions, pid)[-1][:3] == ("status", "已答复", "办理中")
    with sessions.begin() as session, pytest.raises(store.InvalidTransition, match="已答复"):
        store.set_satisfaction(session, pid, "满意", actor="李四")
    with sessions.begin() as session:
        store.set_status(session, pid, "已答复", actor="张三", today=dt.date(2021, 5, 1))
        store.set_satisfaction(session, pid, "满意", actor="李四")
    with sessions() as session:
        p = store.get_proposal(session, pid)
        assert (p.status, p.satisfaction, p.satisfaction_note) == ("已答复", "满意", None)
        assert p.answered_date == dt.date(2021, 5, 1)


def test_bad_satisfaction_changes_nothing(sessions) -> None:
    with sessions.begin() as session:
        pid = _add(session)
    before = _history(sessions, pid)
    with sessions.begin() as session:
        with pytest.raises(store.InvalidTransition):
            store.set_satisfaction(session, pid, "满意", actor="x")  # not answered yet
        with pytest.raises(store.InvalidValue, match="满意、基本满意、不满意"):
            store.set_satisfaction(session, pid, "很好", actor="x")
    assert _history(sessions, pid) == before
