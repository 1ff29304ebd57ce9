"""Deadline reminders for open proposals, sent to admins, never twice, surviving restarts.

`due_reminders` is pure: given open proposals, the reminders already sent and today's date, it
says what to send. `send_due_reminders` claims each one in `reminders_sent` (a unique key, so a
second process or a restart cannot send it again), sends it, and releases the claim if no admin
could be reached. `schedule_reminders` (re)builds the JobQueue jobs from the database at start:
one sweep right away (for anything that fell due while the bot was down), one every day, and
one at each future reminder time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from db import proposals as store

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)
BEFORE_DUE, OVERDUE = "before_due", "overdue"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")  # the bureau's office hours decide when reminders go out
SEND_AT = dt.time(9, 0, tzinfo=LOCAL_TZ)
JOB_PREFIX = "proposal-reminder"
Send = Callable[[int, str], Awaitable[Any]]


@dataclass(frozen=True)
class OpenProposal:
    """What a reminder needs to know about an open proposal."""

    id: int
    label: str
    title: str
    status: str
    due_date: dt.date


@dataclass(frozen=True)
class ReminderDue:
    """One reminder to send: which proposal, which kind, for which deadline, and its text."""

    proposal_id: int
    kind: str
    for_date: dt.date
    text: str

    @property
    def key(self) -> tuple[int, str, dt.date]:
        """Return the identity used to record it as sent."""
        return (self.proposal_id, self.kind, self.for_date)


def local_today() -> dt.date:
    """Return today's date in the bureau's time zone."""
    return dt.datetime.now(LOCAL_TZ).date()


def reminder_text(p: OpenProposal, kind: str, today: dt.date) -> str:
    """Return the Chinese reminder line for an admin."""
    if kind == OVERDUE:
        late = (today - p.due_date).days
        return (
            f"⏰ 提案已逾期：{p.label}《{p.title[:40]}》办理期限 {p.due_date.isoformat()}，"
            f"已逾期{late}天，当前状态「{p.status}」。发送 /tian {p.id} 办理。"
        )
    left = (p.due_date - today).days
    return (
        f"⏰ 提案即将到期：{p.label}《{p.title[:40]}》办理期限 {p.due_date.isoformat()}，"
        f"还剩{left}天，当前状态「{p.status}」。发送 /tian {p.id} 办理。"
    )


def due_reminders(
    proposals: Iterable[OpenProposal],
    sent: set[tuple[int, str, dt.date]],
    today: dt.date,
    days_before: int,
) -> list[ReminderDue]:
    """Return the reminders due today that were not sent yet (pure; `today` is the clock)."""
    due = []
    for p in proposals:
        if today > p.due_date:
            kind = OVERDUE
        elif today >= p.due_date - dt.timedelta(days=days_before):
            kind = BEFORE_DUE
        else:
            continue
        if (p.id, kind, p.due_date) not in sent:
            due.append(ReminderDue(p.id, kind, p.due_date, reminder_text(p, kind, today)))
    return due


def next_reminder_dates(
    proposals: Iterable[OpenProposal], today: dt.date, days_before: int
) -> list[tuple[int, dt.date]]:
    """Return (proposal id, date) of each reminder still in the future."""
    dates = []
    for p in proposals:
        for day in (p.due_date - dt.timedelta(days=days_before), p.due_date + dt.timedelta(1)):
            if day > today:
                dates.append((p.id, day))
    return dates


def load_open(services: Services) -> tuple[list[OpenProposal], set[tuple[int, str, dt.date]]]:
    """Read open proposals and the reminders already sent."""
    with services.sessions() as session:
        rows = [
            OpenProposal(p.id, store.label(p), p.title, p.status, p.due_date)
            for p in store.list_open(session)
        ]
        return rows, store.sent_reminders(session)


def _claim(services: Services, reminder: ReminderDue) -> bool:
    with services.sessions.begin() as session:
        return store.claim_reminder(session, *reminder.key)


def _release(services: Services, reminder: ReminderDue) -> None:
    with services.sessions.begin() as session:
        store.release_reminder(session, *reminder.key)


async def send_due_reminders(services: Services, send: Send, today: dt.date) -> list[ReminderDue]:
    """Send every reminder due today to every admin; return those delivered."""
    admins = list(services.settings.admin_user_ids)
    if not admins:
        return []
    proposals, sent = await asyncio.to_thread(load_open, services)
    delivered = []
    for reminder in due_reminders(proposals, sent, today, services.settings.reminder_days_before):
        if not await asyncio.to_thread(_claim, services, reminder):
            continue  # another sweep got it first
        reached = 0
        for admin in admins:
            try:
                await send(admin, reminder.text)
                reached += 1
            except Exception:  # a failed delivery must not stop the other reminders
                logger.exception(
                    "reminder for proposal %s to %s failed", reminder.proposal_id, admin
                )
        if reached:
            delivered.append(reminder)
        else:
            await asyncio.to_thread(_release, services, reminder)
    return delivered


def schedule_reminders(
    job_queue: Any,
    services: Services,
    send: Send,
    *,
    clock: Callable[[], dt.date] = local_today,
    first: float = 5.0,
) -> list[Any]:
    """(Re)build the reminder jobs from the database: a sweep now, daily, and at due times."""
    for job in job_queue.jobs():
        if str(getattr(job, "name", "")).startswith(JOB_PREFIX):
            job.schedule_removal()

    async def sweep(_context: Any) -> None:
        await send_due_reminders(services, send, clock())

    jobs = [
        job_queue.run_once(sweep, when=first, name=f"{JOB_PREFIX}-start"),
        job_queue.run_daily(sweep, time=SEND_AT, name=f"{JOB_PREFIX}-daily"),
    ]
    proposals, _sent = load_open(services)
    today = clock()
    for pid, day in next_reminder_dates(proposals, today, services.settings.reminder_days_before):
        when = dt.datetime.combine(day, SEND_AT)
        jobs.append(job_queue.run_once(sweep, when=when, name=f"{JOB_PREFIX}-{pid}-{day}"))
    logger.info("scheduled %d reminder jobs for %d open proposals", len(jobs), len(proposals))
    return jobs
