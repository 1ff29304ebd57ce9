"""Access levels and the per-user token bucket."""

from __future__ import annotations

from bot.access import Access, Throttle, Verdict, check


def test_levels() -> None:
    assert check(1, [1], [9]) is Access.ALLOWED
    assert check(9, [1], [9]) is Access.ADMIN
    assert check(5, [1], [9]) is Access.REFUSED
    assert check(None, [1], [9]) is Access.REFUSED


def test_bucket_allows_a_burst_then_notifies_once_then_refills() -> None:
    now = [0.0]
    throttle = Throttle(rate_per_minute=3, clock=lambda: now[0])
    assert [throttle.take(7) for _ in range(5)] == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.DENY_NOTIFY,
        Verdict.DENY_SILENT,
    ]
    assert throttle.take(8) is Verdict.ALLOW  # another user is not starved
    now[0] += 20.0  # one token per 20 s at 3 per minute
    assert throttle.take(7) is Verdict.ALLOW
    assert throttle.take(7) is Verdict.DENY_NOTIFY


def test_memory_stays_bounded() -> None:
    now = [0.0]
    throttle = Throttle(rate_per_minute=2, clock=lambda: now[0], max_users=100)
    for user in range(1000):
        throttle.take(user)
        now[0] += 60.0
    assert len(throttle._buckets) <= 100
