"""The per-user throttle kept in the database, so every worker spends from one budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.access import Verdict, spend
from db import rate_limits


@dataclass
class SharedThrottle:
    """Like access.Throttle (same bucket arithmetic), with the buckets in rate_states.

    Blocking: call it off the event loop. `name` keeps separate budgets apart ("user" for
    questions, "refusal" for the stranger notice).
    """

    sessions: sessionmaker[Session]
    name: str
    rate_per_minute: int
    clock: Callable[[], float] = time.time  # wall clock: workers may run on several hosts

    def take(self, user_id: int) -> Verdict:
        """Spend one token of a user's bucket if there is one."""
        if self.rate_per_minute <= 0:
            return Verdict.ALLOW
        key = f"{self.name}:{user_id}"
        now = self.clock()
        with self.sessions.begin() as session:
            bucket = rate_limits.load_bucket(session, key, float(self.rate_per_minute), now)
            verdict = spend(bucket, now, self.rate_per_minute)
            rate_limits.save_bucket(session, key, bucket)
        return verdict
