"""Deadline reminders: pure computation with a fake clock, and a restart that loses none."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot import reminders as rm
from bot.services import Services, open_services
from bot.settings import Settings
from db import proposals as store

ADMINS = [1, 3]
RECEIVED = dt.date(2021, 1, 4)
DUE = RECEIVED + dt.timedelta(days=91)  # 2021-04-05


def _open(pid: int = 1, due: dt.date = DUE) -> rm.OpenProposal:
    return rm.OpenProposal(pid, "提案第084号（ID 1）", "关于加快项目落地的提案", "收到", due)


# --- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (DUE - dt.timedelta(days=8), None),
        (DUE - dt.timedelta(days=7), rm.BEFORE_DUE),
        (DUE, rm.BEFORE_DUE),
        (DUE + dt.timedelta(days=1), rm.OVERDUE),
        (DUE + dt.timedelta(days=30), rm.OVERDUE),
    ],
)
def test_which_reminder_is_due(today: dt.date, kind: str | None) -> None:
    due = rm.due_reminders([_open()], set(), today, days_before=7)
    assert [r.kind for r in due] == ([kind] if kind else [])


def test_a_sent_reminder_is_not_due_again() -> None:
    today = DUE + dt.timedelta(days=2)
    assert rm.due_reminders([_open()], {(1, rm.OVERDUE, DUE)}, today, 7) == []
    # a new deadline (e.g. extended) is a new reminder
    later = DUE + dt.timedelta(days=1)
    assert len(rm.due_reminders([_open(due=later)], {(1, rm.OVERDUE, DUE)}, today, 7)) == 1


def test_reminder_texts_say_what_to_do() -> None:
    text = rm.reminder_text(_open(), rm.OVERDUE, DUE + dt.timedelta(days=3))
    assert "已逾期3天" in text and "/tian 1" in text
    text = rm.reminder_text(_open(), rm.BEFORE_DUE, DUE - dt.timedelta(days=2))
    assert "还剩2天" in text


def test_future_reminder_dates() -> None:
    dates = rm.next_reminder_dates([_open()], DUE - dt.timedelta(days=10), 7)
    assert dates == [(1, DUE - dt.timedelta(days=7)), (1, DUE + dt.timedelta(days=1))]
    assert rm.next_reminder_dates([_open()], DUE + dt.timedelta(days=1), 7) == []


# --- with the database and a job queue ---------------------------------------------------------


class FakeJob:
    def __init__(self, callback, name: str, when: object) -> None:
        self.callback, self.name, self.when, self.removed = callback, name, when, False

    def schedule_removal(self) -> None:
        self.removed = True


class FakeJobQueue:
    """Records jobs the way PTB's JobQueue is called (run_once, run_daily, jobs)."""

    def __init__(self) -> None:
        self.all: list[FakeJob] = []

    def run_once(self, callback, when, name=None, **_kw) -> FakeJob:
        self.all.append(FakeJob(callback, name, when))
        return self.all[-1]

    def run_daily(self, callback, time, name=None, **_kw) -> FakeJob:
        self.all.append(FakeJob(callback, name, time))
        return self.all[-1]

    def jobs(self) -> list[FakeJob]:
        return [j for j in self.all if not j.removed]

    def job(self, suffix: str) -> FakeJob:
        return next(j for j in self.jobs() if j.name.endswith(suffix))


class Outbox:
    def __init__(self, fail_for: set[int] | None = None) -> None:
        self.sent: list[tuple[int, str]] = []
        self.fail_for = fail_for or set()

    async def __call__(self, chat_id: int, text: str) -> None:
        if chat_id in self.fail_for:
            raise ConnectionError("Bot API unreachable")
        self.sent.append((chat_id, text))


def _services(db_url: str, var: Path) -> Services:
    settings = Settings(
        database_url=db_url, var_dir=var, admin_user_ids=ADMINS, reminder_days_before=7
    )
    return open_services(settings)


def _add(services: Services, text: str, received: dt.date = RECEIVED) -> int:
    with services.sessions.begin() as session:
        return store.add_proposal(
            session,
            text=text,
            content_hash=text,
            title="关于加快项目落地的提案",
            received=received,
            due_days=91,
        ).id


async def test_an_overdue_reminder_fires_after_a_restart_and_only_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = lambda: DUE + dt.timedelta(days=3)  # noqa: E731
    first = _services(db_url, tmp_path)
    pid = _add(first, "建议加快项目落地。")
    first.close()  # the bot stops before the deadline passes ...

    restarted = _services(db_url, tmp_path)  # ... and starts again three days late
    queue, outbox = FakeJobQueue(), Outbox()
    rm.schedule_reminders(queue, restarted, outbox, clock=clock)
    await queue.job("-start").callback(None)
    assert sorted(chat for chat, _t in outbox.sent) == ADMINS
    assert all(f"/tian {pid}" in t and "已逾期3天" in t for _c, t in outbox.sent)
    await queue.job("-daily").callback(None)  # the daily sweep the same day sends nothing
    restarted.close()

    again = _services(db_url, tmp_path)  # a second restart sends nothing twice
    queue2, outbox2 = FakeJobQueue(), Outbox()
    rm.schedule_reminders(queue2, again, outbox2, clock=clock)
    await queue2.job("-start").callback(None)
    assert outbox2.sent == [] and len(outbox.sent) == len(ADMINS)
    again.close()


async def test_before_due_then_overdue(db_url: str, tmp_path: Path) -> None:
    services = _services(db_url, tmp_path)
    _add(services, "建议完善招商政策。")
    outbox = Outbox()
    await rm.send_due_reminders(services, outbox, DUE - dt.timedelta(days=7))
    await rm.send_due_reminders(services, outbox, DUE - dt.timedelta(days=6))
    await rm.send_due_reminders(services, outbox, DUE + dt.timedelta(days=1))
    kinds = ["即将到期" if "即将到期" in t else "已逾期" for _c, t in outbox.sent]
    assert kinds == ["即将到期"] * 2 + ["已逾期"] * 2
    services.close()


async def test_closed_proposals_get_no_reminder(db_url: str, tmp_path: Path) -> None:
    services = _services(db_url, tmp_path)
    pid = _add(services, "建议优化营商环境。")
    with services.sessions.begin() as session:
        store.set_status(session, pid, "办理中", actor="t", today=RECEIVED)
        store.set_status(session, pid, "已答复", actor="t", today=RECEIVED)
    outbox = Outbox()
    assert await rm.send_due_reminders(services, outbox, DUE + dt.timedelta(days=5)) == []
    assert outbox.sent == []
    services.close()


async def test_a_failed_delivery_is_tried_again(db_url: str, tmp_path: Path) -> None:
    services = _services(db_url, tmp_path)
    _add(services, "建议拓宽融资渠道。")
    today = DUE + dt.timedelta(days=1)
    down = Outbox(fail_for=set(ADMINS))
    assert await rm.send_due_reminders(services, down, today) == []
    up = Outbox()
    assert len(await rm.send_due_reminders(services, up, today)) == 1
    assert len(up.sent) == len(ADMINS)
    services.close()


def test_rescheduling_replaces_the_old_jobs(db_url: str, tmp_path: Path) -> None:
    services = _services(db_url, tmp_path)
    _add(services, "建议加快项目库建设。")
    queue = FakeJobQueue()
    today = RECEIVED
    rm.schedule_reminders(queue, services, Outbox(), clock=lambda: today)
    rm.schedule_reminders(queue, services, Outbox(), clock=lambda: today)
    names = sorted(j.name for j in queue.jobs())
    assert names == sorted(
        [
            f"{rm.JOB_PREFIX}-start",
            f"{rm.JOB_PREFIX}-daily",
            f"{rm.JOB_PREFIX}-1-{DUE - dt.timedelta(days=7)}",
            f"{rm.JOB_PREFIX}-1-{DUE + dt.timedelta(days=1)}",
        ]
    )
    services.close()


def test_schedule_with_the_real_job_queue(sqlite_sessions, tmp_path: Path) -> None:
    from telegram.ext import Application

    services = _services(f"sqlite:///{tmp_path / 'jq.db'}", tmp_path)
    _add(services, "建议常态化开展网络招商。")
    application = Application.builder().token("123456:TEST").build()
    jobs = rm.schedule_reminders(application.job_queue, services, Outbox(), clock=lambda: RECEIVED)
    assert len(jobs) == 4
    assert {j.name for j in application.job_queue.jobs()} >= {f"{rm.JOB_PREFIX}-daily"}
    services.close()


async def test_two_workers_sweeping_at_once_send_each_reminder_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = lambda: DUE + dt.timedelta(days=3)  # noqa: E731
    workers = [_services(db_url, tmp_path), _services(db_url, tmp_path)]
    _add(workers[0], "建议加快项目落地。")
    outbox, queues = Outbox(), [FakeJobQueue(), FakeJobQueue()]
    for queue, services in zip(queues, workers, strict=True):
        rm.schedule_reminders(queue, services, outbox, clock=clock)
    await asyncio.gather(*(q.job("-start").callback(None) for q in queues))
    assert sorted(chat for chat, _t in outbox.sent) == ADMINS
    for services in workers:
        services.close()
