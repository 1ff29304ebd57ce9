"""Who may use the assistant, and how often: pure checks plus a per-user token bucket."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import Enum

from db.rate_limits import Bucket

REFUSAL = "抱歉，本助手仅供楚雄州投资促进局授权人员使用。如需开通，请联系管理员。"
THROTTLED = "您发送得太快了，请稍候片刻再试。"
ADMIN_ONLY = "该功能仅限管理员使用。"


class Access(Enum):
    """What a user may do."""

    REFUSED = "refused"
    ALLOWED = "allowed"
    ADMIN = "admin"


def check(user_id: int | None, allowed: Collection[int], admins: Collection[int]) -> Access:
    """Return a user's access level (admins are allowed too)."""
    if user_id is None:
        return Access.REFUSED
    if user_id in admins:
        return Access.ADMIN
    if user_id in allowed:
        return Access.ALLOWED
    return Access.REFUSED


class Verdict(Enum):
    """The throttle's answer for one request."""

    ALLOW = "allow"
    DENY_NOTIFY = "deny_notify"  # first refusal in a burst: tell the user once
    DENY_SILENT = "deny_silent"  # further refusals in the same burst: say nothing


def spend(bucket: Bucket, now: float, rate_per_minute: int) -> Verdict:
    """Refill `bucket` up to `now` and spend one token if there is one (mutates it)."""
    refill = (now - bucket.stamp) * rate_per_minute / 60.0
    bucket.tokens = min(float(rate_per_minute), bucket.tokens + refill)
    bucket.stamp = now
    if bucket.tokens >= 1.0:
        bucket.tokens -= 1.0
        bucket.notified = False
        return Verdict.ALLOW
    if bucket.notified:
        return Verdict.DENY_SILENT
    bucket.notified = True
    return Verdict.DENY_NOTIFY


@dataclass
class Throttle:
    """A token bucket per user: `rate_per_minute` requests, refilled evenly over a minute.

    One user's burst is cut at the bucket size, so it cannot starve the others; the first
    refused request in a burst gets one polite notice, the rest are dropped quietly.
    """

    rate_per_minute: int
    clock: Callable[[], float] = time.monotonic
    max_users: int = 10_000
    _buckets: dict[int, Bucket] = field(default_factory=dict, init=False, repr=False)

    def take(self, user_id: int) -> Verdict:
        """Spend one token of a user's bucket if there is one."""
        if self.rate_per_minute <= 0:
            return Verdict.ALLOW
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[user_id] = Bucket(float(self.rate_per_minute), now)
        return spend(bucket, now, self.rate_per_minute)

    def _forget_idle(self, now: float) -> None:
        # Keep memory bounded: a full bucket carries no information, drop those first.
        if len(self._buckets) < self.max_users:
            return
        full = [
            uid
            for uid, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.rate_per_minute / 60.0 >= self.rate_per_minute
        ]
        for uid in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[uid]
