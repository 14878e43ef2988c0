"""Retries for idempotent state changes: which answers retry, how long to wait, and when to stop.

Kept home-grown (about forty lines) rather than using stamina/tenacity: PRODUCT.md needs the
loop to *refuse* to wait when Retry-After exceeds 60 s and to report the attempt count and
the vendor's requested wait in the result — both awkward to express as a retry decorator —
and it saves their import cost on every run. The shape follows stamina's contract: an
explicit retry predicate, full-jitter exponential backoff, a Retry-After hook, and
injectable randomness and sleep for tests.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from campctl.results import Verdict
from campctl.transport import Exchange, Reply

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Where Retry-After means "wait this long" (RFC 9110, RFC 6585). Elsewhere it is no request
# to wait (some vendors send one on 200s too): a 500, 502 or 504 backs off as usual.
RETRY_AFTER_STATUSES = frozenset({429, 503})
CEILING_SECONDS = 60.0
MAX_RETRY_AFTER = 7 * 24 * 3600.0  # a longer wait is no answer anyone can act on


class RetryPolicy(NamedTuple):
    retries: int = 3
    base: float = 0.5
    cap: float = 8.0
    ceiling: float = CEILING_SECONDS
    random: Callable[[], float] = random.random
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def backoff(self, retry_number: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**n)] (botocore, AWS architecture blog)."""
        return float(self.random() * min(self.cap, self.base * 2**retry_number))


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, fractional too, as some vendors send
    them, or an HTTP-date), or None.

    Clamped here, before anyone does date arithmetic with it: a wait that is not a usable
    one — negative seconds, not finite, beyond a week (10^12, 10^308, a date in year 9999) —
    is `math.inf`, longer than any ceiling, so the 429 fails as `rate_limited` at once and
    no datetime ever overflows. An HTTP-date already past means "now" (clock skew).
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            seconds = max(0.0, moment.timestamp() - now())
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if not 0 <= seconds <= MAX_RETRY_AFTER:  # also NaN
        return math.inf
    return seconds


Attempt = Callable[[int], Awaitable[Reply | Verdict]]
Notify = Callable[[str, float, int], None]


async def with_retries(attempt: Attempt, policy: RetryPolicy, notify: Notify) -> Exchange:
    """Run `attempt(n)` until it gives a final answer, waiting between retryable failures."""
    number = 0
    while True:
        number += 1
        answer = await attempt(number)
        if isinstance(answer, Reply):
            retryable = answer.status in RETRY_STATUSES
            wait = (
                parse_retry_after(answer.headers.get("retry-after"))
                if answer.status in RETRY_AFTER_STATUSES
                else None
            )
            reason = f"HTTP {answer.status}"
        else:
            retryable = answer.error is not None and answer.error.kind.retryable
            wait = None
            reason = answer.error.kind.value if answer.error else "failure"
        final = (
            not retryable or number > policy.retries or (wait is not None and wait > policy.ceiling)
        )
        if final:
            reply = answer if isinstance(answer, Reply) else None
            failure = answer if isinstance(answer, Verdict) else None
            return Exchange(reply, failure, number, wait)
        delay = wait if wait is not None else policy.backoff(number - 1)
        notify(reason, delay, number + 1)
        await policy.sleep(delay)
